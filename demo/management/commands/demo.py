"""Load the demo municipality: invented staff, foster carers and about 60 children."""

import io
import math
import random
import struct
import wave
from datetime import datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Count
from django.utils import timezone, translation
from PIL import Image
from weasyprint import HTML

from accounts.models import Municipality, Role, Team, User
from cases import services as case_services
from cases.cpr import make_cpr
from cases.models import (
    Case,
    Child,
    ContributorLink,
    ContributorRole,
    Decision,
    EndKind,
    MeasureKind,
    Relation,
)
from continuity.models import AssignmentKind, CaseworkerAssignment, Handover, HandoverStatus
from conversations import services as conversation_services
from conversations.models import (
    Conversation,
    ConversationKind,
    ConversationStatus,
    NotHeldReason,
    Tool,
    Wish,
)
from demo import people
from feedback import services as feedback_services
from feedback.models import Channel, FeedbackResponse, Instrument
from insights import models as insight_models
from insights import services as insight_services
from lifebook import services as lifebook_services
from lifebook.models import Entry
from plans import services as plan_services
from portal import services as portal_services
from portal.models import PortalAccess
from survey import models as survey_models
from survey import services as survey_services

DEMO_PASSWORD = "stemme-demo-2026"  # noqa: S105 - printed on purpose, demo only
DEMO_CODE = "265"
DEMO_API_TOKEN = "stm_demo-roskilde-2026"  # noqa: S105 - printed on purpose, demo only
OTHER_DEMO_CODE = "320"

# username, first name, last name, role, team
STAFF = [
    ("admin", "Lene", "Storm", Role.ADMINISTRATOR, None),
    ("chef", "Morten", "Vestergaard", Role.HEAD_OF_DEPARTMENT, None),
    ("hanne", "Hanne", "Bach", Role.TEAM_LEADER, "Team Øst"),
    ("peter", "Peter", "Lund", Role.TEAM_LEADER, "Team Vest"),
    ("rikke", "Rikke", "Holm", Role.CASEWORKER, "Team Øst"),
    ("jonas", "Jonas", "Frost", Role.CASEWORKER, "Team Øst"),
    ("amira", "Amira", "Hussein", Role.CASEWORKER, "Team Øst"),
    ("mette", "Mette", "Skov", Role.CASEWORKER, "Team Vest"),
    ("soren", "Søren", "Dam", Role.CASEWORKER, "Team Vest"),
    ("analytiker", "Kim", "Poulsen", Role.ANALYST, None),
    ("plejefamilie", "Anne", "Holm", Role.CONTRIBUTOR, None),
    ("solsikken", "Jesper", "Knudsen", Role.CONTRIBUTOR, None),
    ("lauritsen", "Bente", "Lauritsen", Role.CONTRIBUTOR, None),  # an earlier foster home
    ("konsulent", "Sofie", "Brandt", Role.CONSULTANT, None),  # a children's rights consultant
]
# ffmpeg's test pattern, 20 seconds: `ffmpeg -f lavfi -i testsrc=size=320x180:rate=8:duration=20
# -c:v libvpx-vp9 -b:v 30k -an practice.webm` (a stand-in for a filmed role-play).
PRACTICE_VIDEO = Path(__file__).resolve().parents[2] / "assets" / "practice.webm"
# The demo children's portal sign-ins (a real municipality hands out random codes).
PORTAL_CHILDREN = [
    # first name, last name, age, code, PIN
    ("Ida", "Lind", 9, "BARN-HEJ2-2468", "2468"),
    ("Malik", "Aziz", 15, "UNGE-HEJ3-3579", "3579"),
    ("Maja", "Friis", 19, "MAJA-HEJ4-4682", "4682"),
]
# The explanation of a decision for any child, also the youngest (LIX well under every limit).
EXPLANATION = "Du får hjælp. Den skal gøre det let for dig."
# How many of the 60 children each caseworker holds; Rikke is over the threshold of 25.
CASELOAD = {"rikke": 27, "jonas": 11, "amira": 8, "mette": 9, "soren": 5}


class Command(BaseCommand):
    help = "Load the demo municipality (265, invented people). Running it again changes nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load only into an empty database (no municipalities at all).",
        )

    def handle(self, *args, **options):
        if (
            options["if_empty"]
            and Municipality.objects.exclude(code__in=[DEMO_CODE, OTHER_DEMO_CODE]).exists()
        ):
            self.stdout.write("The database holds other municipalities; the demo is not loaded.")
        elif Municipality.objects.filter(code=DEMO_CODE).exists():
            self.stdout.write("The demo municipality is already loaded; nothing changed.")
        else:
            with transaction.atomic():
                self._load()
            self.stdout.write(self.style.SUCCESS("Loaded the demo municipality."))
        self.print_logins()

    def print_logins(self):
        with translation.override("en"):
            self._print_logins()

    def _print_logins(self):
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, first, last, role, team in STAFF:
            where = f", {team}" if team else ""
            self.stdout.write(f"  {username:<13} {first} {last} – {role.label}{where}")
        self.stdout.write(f"  {'faxe':<13} a caseworker in another municipality (320 Faxe)")
        self.stdout.write(
            f"The case system's API at /api/v1/ (Authorization: Bearer {DEMO_API_TOKEN})"
        )
        self.stdout.write("The children's portal at /me/ (code, then PIN):")
        for first, last, years, code, pin in PORTAL_CHILDREN:
            self.stdout.write(f"  {code}  PIN {pin}  {first} {last}, {years} years")
        if settings.STEMME_MITID_BROKER == "standin":
            malik = Child.objects.filter(first_name="Malik", municipality__code=DEMO_CODE).first()
            if malik is not None:
                self.stdout.write(f"  MitID stand-in for Malik: CPR {malik.cpr}")

    def _load(self):
        self.rng = random.Random(265)
        self.today = timezone.localdate()
        municipality = Municipality.objects.create(code=DEMO_CODE, name="Roskilde Kommune (demo)")
        other = Municipality.objects.get_or_create(
            code=OTHER_DEMO_CODE, defaults={"name": "Faxe Kommune (demo)"}
        )[0]
        teams = {
            name: Team.objects.create(municipality=municipality, name=name)
            for name in ("Team Øst", "Team Vest")
        }
        self.users = {}
        self.placements = {}
        for username, first, last, role, team in STAFF:
            self.users[username] = self._user(
                username, first, last, role, municipality, teams.get(team)
            )
        faxe = self._user("faxe", "Pia", "Olsen", Role.CASEWORKER, other, None)

        caseworkers = [u for name, n in CASELOAD.items() for u in [self.users[name]] * n]
        for index, caseworker in enumerate(caseworkers):
            self._child(municipality, caseworker, index)
        self._child(other, faxe, 999)
        self._handovers()
        self._conversations()
        self._feedback()
        self._decisions()
        self._practice()
        self._lifebooks()
        self._portal()
        self._insights(municipality, teams)
        self._reflection()
        self._api_client()

    def _reflection(self):
        """Reflection on practice: Rikke's reflection on a conversation (shared with Hanne and
        the consultant), a practice video the consultant has commented on at a moment, a
        team's joint reflection with next steps to follow up, and training days."""
        from reflection import services as reflection_services

        rikke, hanne = self.users["rikke"], self.users["hanne"]
        consultant = self.users["konsulent"]
        held = (
            Conversation.objects.filter(created_by=rikke, status=ConversationStatus.HELD)
            .order_by("-held_at")
            .first()
        )
        if held is not None:
            reflection_services.reflection_save(
                actor=rikke,
                conversation=held,
                went_well="Barnet valgte selv stedet, og vi gik en tur i stedet for at sidde.",
                childs_perspective="Da vi tegnede de tre huse: bekymringerne handlede om skolen.",
                differently="Jeg talte for meget i starten. Færre spørgsmål, flere pauser.",
                next_time="Starte med det, barnet sagde sidst om skolen.",
                shared_with_leader=True,
                shared_with=consultant,
            )
        video = reflection_services.video_upload(
            actor=rikke,
            consultant=consultant,
            title="Rollespil: at fortælle om en flytning",
            kind="role_play",
            upload=SimpleUploadedFile(
                "rollespil.webm", PRACTICE_VIDEO.read_bytes(), content_type="video/webm"
            ),
        )
        comment = reflection_services.comment_add(
            actor=consultant,
            video=video,
            at_seconds=12,
            text="Her venter du på barnets svar i stedet for at fylde tavsheden ud. Godt.",
        )
        reflection_services.comment_add(
            actor=rikke,
            video=video,
            at_seconds=12,
            text="Tak. Det var svært at holde pausen.",
            reply_to=comment,
        )
        session = reflection_services.session_schedule(
            actor=hanne,
            scheduled_at=self._at(self.today - timedelta(days=14)),
            presenter=rikke,
            presentation=(
                "En pige på 11 år i plejefamilie siger nej til samvær med sin far. "
                "Hun vil gerne se ham, men ikke i kommunens lokaler."
            ),
        )
        reflection_services.session_record(
            actor=hanne,
            session=session,
            participants=[rikke, self.users["jonas"], self.users["amira"], hanne],
            presentation=session.presentation,
            questions="Hvad siger hun selv om, hvor det kunne være rart?",
            reflections="Måske er det stedet, ikke faren, hun siger nej til.",
            next_steps="Spørge pigen, hvor samværet kunne foregå.",
            decided="Samvær prøves på biblioteket.",
            follow_up_on=self.today - timedelta(days=1),
        )
        for days, theme, title in (
            (120, "childs_perspective", "Barnets perspektiv i myndighedsarbejdet"),
            (40, "dialogic", "Dialogisk samtale med børn"),
        ):
            reflection_services.training_day_add(
                actor=rikke, held_on=self.today - timedelta(days=days), theme=theme, title=title
            )

    def _api_client(self):
        """The case system's API client, with a token the demo prints (a real one is random)."""
        from api.models import ApiToken, token_digest
        from api.services import api_client_create

        client, _token = api_client_create(actor=self.users["admin"], name="Sagssystemet (demo)")
        ApiToken.objects.filter(client=client).update(
            digest=token_digest(DEMO_API_TOKEN), prefix=DEMO_API_TOKEN[:8]
        )

    def _insights(self, municipality, teams):
        """A caseworker who left, three rounds of the self-assessment, and a children's survey
        with enough answers to be shown."""
        today = self.today
        former = self._user(
            "lars", "Lars", "Berg", Role.CASEWORKER, municipality, teams["Team Vest"]
        )
        User.objects.filter(pk=former.pk).update(
            is_active=False,
            date_joined=self._at(today - timedelta(days=800)),
            left_on=today - timedelta(days=120),
        )
        chef = self.users["chef"]
        for months_ago, level in ((17, 1), (11, 2), (5, 3)):
            agreements = {
                key: max(0, min(4, level + (1 if index % 3 == 0 else 0) - (index % 5 == 4)))
                for index, key in enumerate(insight_models.STATEMENTS)
            }
            insight_services.self_assessment_record(
                actor=chef,
                carried_out_on=today - timedelta(days=30 * months_ago),
                agreements=agreements,
                note="Flere samtaler før afgørelser; 'du sagde – vi gjorde' i alle planer.",
            )
        hanne = self.users["hanne"]
        survey = survey_services.survey_create(
            actor=hanne,
            title="Bliver du hørt? Efterår",
            opens_on=today - timedelta(days=20),
            closes_on=today + timedelta(days=40),
        )
        tokens = survey_services.survey_links_make(actor=hanne, survey=survey, count=30)
        groups = [("13_15", "foster")] * 6 + [("16_plus", "institution")] * 5
        groups += [("10_12", "home")] * 5 + [("under_10", "foster")] * 2
        for token, (age, living) in zip(tokens, groups, strict=False):
            response = survey_services.survey_start(
                link=survey_services.link_for_token(token), age_group=age, living=living
            )
            for key, _text in survey_models.QUESTIONS:
                faces = age == "under_10"
                value = self.rng.choice([3, 4, 4, 5] if faces else [4, 6, 7, 8, 9, 10])
                if key == "complain" and not faces:
                    value = max(0, value - 3)  # fewer know how to complain
                survey_services.survey_answer(response=response, question=key, value=value)

    def _user(self, username, first, last, role, municipality, team):
        user = User(
            username=username,
            first_name=first,
            last_name=last,
            role=role,
            municipality=municipality,
            team=team,
            email=f"{username}@demo.stemme.invalid",
            title={Role.CASEWORKER: "Socialrådgiver"}.get(role, ""),
            is_staff=role == Role.ADMINISTRATOR,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        return user

    def _at(self, day):
        return timezone.make_aware(datetime.combine(day, time(9, 0)))

    def _hear_and_decide(
        self,
        decision,
        *,
        actor,
        heard: str = "held",
        days_before: int = 7,
        childs_view: str = "Barnet har fortalt, hvad det selv ønsker.",
        how_weighed: str = "Barnets ønske er vægtet i valget.",
        explanation: str = EXPLANATION,
        told_on=None,
        told_how: str = "Fortalt ved besøg",
        final: bool = True,
    ):
        """What a caseworker does before a decision is final, through the same services: a
        conversation before it, linked to it (held, or refused by the child — both lawful,
        Barnets lov § 5), the child's view, how it was weighed and the explanation, the guard
        (`decision_make_final`), and when the child was told (retssikkerhedsloven § 67)."""
        child = decision.case.child
        if heard:
            conversation = conversation_services.conversation_plan(
                actor=actor,
                child=child,
                kind=ConversationKind.BEFORE_DECISION,
                planned_at=self._at(decision.decided_on - timedelta(days=days_before)),
                place=self.rng.choice(["Skolen", "Hjemme", "Rådhuset"]),
                decision=decision,
            )
            if heard == "held":
                conversation_services.conversation_mark_held(
                    actor=actor, conversation=conversation, held_at=conversation.planned_at
                )
            else:
                conversation_services.conversation_mark_not_held(
                    actor=actor, conversation=conversation, reason=NotHeldReason.CHILD_REFUSED
                )
        plan_services.decision_record_childs_view(
            actor=actor,
            decision=decision,
            childs_view=childs_view,
            how_weighed=how_weighed,
            differs_from_wish=False,
            why_differs="",
            explanation_for_child=explanation,
        )
        if final:
            decision = plan_services.decision_make_final(actor=actor, decision=decision)
        if told_on is not None:
            plan_services.decision_notice_record(
                actor=actor, decision=decision, told_on=told_on, told_how=told_how
            )
        return decision

    def _held(self, *, actor, child, held, summary="", said=(), **fields):
        """A conversation planned, held, the child's words noted and a summary written to the
        child (LIX-checked for the child's age) — through the services a caseworker uses."""
        conversation = conversation_services.conversation_plan(
            actor=actor, child=child, planned_at=held, **fields
        )
        conversation_services.conversation_mark_held(
            actor=actor, conversation=conversation, held_at=held
        )
        for text, visibility in said:
            conversation_services.statement_add(
                actor=actor, conversation=conversation, text=text, visibility=visibility
            )
        if summary:
            conversation_services.summary_save(actor=actor, conversation=conversation, text=summary)
        return conversation

    def _plan(
        self,
        *,
        actor,
        child,
        adopted_on,
        next_review_on,
        text,
        goals,
        decision=None,
        family_support="",
        agrees=None,
    ):
        """The child's plan as a caseworker makes it: goals in the child's words, the version
        for the child (LIX-checked for the child's age), adoption, the child's answer."""
        plan = plan_services.plan_create(
            actor=actor,
            child=child,
            next_review_on=next_review_on,
            decision=decision,
            family_support=family_support,
        )
        for words, goal, target_date in goals:
            plan_services.goal_add(
                actor=actor,
                plan=plan,
                childs_words=words,
                professional_goal=goal,
                target_date=target_date,
            )
        plan_services.plan_save_for_child(actor=actor, plan=plan, text=text)
        plan_services.plan_adopt(actor=actor, plan=plan, adopted_on=adopted_on)
        if agrees is not None:
            plan_services.plan_record_child_response(
                actor=actor, plan=plan, agrees=agrees, because="" if agrees else "Jeg vil hjem."
            )
        return plan

    def _child(self, municipality, caseworker, index):
        rng, today = self.rng, self.today
        age_days = rng.randint(60, 17 * 365 + 300)
        birth = today - timedelta(days=age_days)
        girl = rng.random() < 0.5
        first = rng.choice(people.GIRLS if girl else people.BOYS)
        last = rng.choice(people.SURNAMES)
        child = Child.objects.create(
            municipality=municipality,
            cpr=make_cpr(birth, index * 2 + (0 if girl else 1)),
            cpr_is_fictitious=True,
            birth_date=birth,
            first_name=first,
            last_name=last,
            preferred_name=(first[:3] if rng.random() < 0.15 else ""),
            languages=rng.choice(people.LANGUAGES),
        )
        opened = today - timedelta(days=rng.randint(20, min(age_days, 2000)))
        case = Case.objects.create(child=child, opened_on=opened)

        # Earlier caseworkers: about a third of the children have changed caseworker.
        start = opened
        if rng.random() < 0.35 and (today - opened).days > 120:
            others = [
                u for u in self.users.values() if u.role == Role.CASEWORKER and u != caseworker
            ]
            earlier = rng.choice(others)
            switch = opened + timedelta(days=rng.randint(30, (today - opened).days - 30))
            CaseworkerAssignment.objects.create(
                child=child,
                caseworker=earlier,
                kind=AssignmentKind.RESPONSIBLE,
                started_at=self._at(opened),
                ended_at=self._at(switch),
            )
            start = switch
        CaseworkerAssignment.objects.create(
            child=child,
            caseworker=caseworker,
            kind=AssignmentKind.RESPONSIBLE,
            started_at=self._at(start),
        )

        self._network(child, last, caseworker)
        self._course(child, case, index, caseworker)
        return child

    def _network(self, child, last, actor):
        rng = self.rng
        mother = case_services.network_member_add(
            actor=actor,
            child=child,
            name=f"{rng.choice(people.ADULT_FIRST[:10])} {last}",
            relation=Relation.PARENT,
            relation_detail="mor",
            holds_custody=True,
            phone=f"2{rng.randint(1000000, 9999999)}",
        )
        if rng.random() < 0.7:
            case_services.network_member_add(
                actor=actor,
                child=child,
                name=f"{rng.choice(people.ADULT_FIRST[4:])} {rng.choice(people.SURNAMES)}",
                relation=Relation.PARENT,
                relation_detail="far",
                holds_custody=rng.random() < 0.6,
                phone=f"3{rng.randint(1000000, 9999999)}",
            )
        if rng.random() < 0.5:
            case_services.network_member_add(
                actor=actor,
                child=child,
                name=f"{rng.choice(people.GIRLS + people.BOYS)} {last}",
                relation=Relation.SIBLING,
            )
        if child.age() >= 6:
            case_services.network_member_add(
                actor=actor, child=child, name=rng.choice(people.SCHOOLS), relation=Relation.SCHOOL
            )
        if child.age() >= 10 and rng.random() < 0.3:
            case_services.network_member_add(
                actor=actor,
                child=child,
                name=f"{rng.choice(people.ADULT_FIRST)} {rng.choice(people.SURNAMES)}",
                relation=Relation.SUPPORT_PERSON,
                relation_detail="bisidder",
                birth_date=self.today - timedelta(days=365 * rng.randint(20, 60)),
            )
        return mother

    def _course(self, child, case, index, caseworker):
        rng, today = self.rng, self.today
        situation = rng.choices(
            ["home_support", "foster_care", "institution", "new_concern", "assessment"],
            weights=[30, 25, 12, 13, 20],
        )[0]
        if index in (0, 1, 2):
            situation = "assessment_overdue"

        if situation in ("new_concern", "assessment", "assessment_overdue") or rng.random() < 0.4:
            received = max(case.opened_on, today - timedelta(days=rng.randint(5, 400)))
            case_services.concern_report_add(
                actor=caseworker,
                child=child,
                case=case,
                received_on=received,
                source=rng.choice(
                    ["Skolen", "Sundhedsplejen", "Politiet", "Anonym", "Daginstitution"]
                ),
                concerns_abuse=rng.random() < 0.15,
                summary="Bekymring for barnets trivsel.",
            )
        if situation in ("assessment", "assessment_overdue"):
            known = today - timedelta(
                days=rng.randint(125, 170)
                if situation == "assessment_overdue"
                else rng.randint(10, 115)
            )
            case_services.assessment_add(
                actor=caseworker, child=child, case=case, need_known_on=known
            )
            return
        if situation == "new_concern":
            return

        # An assessment completed before the measure started.
        support_start = case.opened_on + timedelta(days=rng.randint(60, 110))
        if support_start >= today:
            support_start = today - timedelta(days=7)
        known = support_start - timedelta(days=100)
        case_services.assessment_add(
            actor=caseworker,
            child=child,
            case=case,
            need_known_on=known,
            completed_on=support_start - timedelta(days=10),
        )
        if situation == "home_support":
            kind, place = rng.choice(
                [(MeasureKind.FAMILY_SUPPORT, "Familiehuset"), (MeasureKind.CONTACT_PERSON, "")]
            )
        elif situation == "foster_care":
            kind, place = MeasureKind.FOSTER_CARE, rng.choice(people.FOSTER_HOMES)
        else:
            kind, place = MeasureKind.INSTITUTION, rng.choice(people.INSTITUTIONS)
        if kind == MeasureKind.INSTITUTION and child.age() < 6:
            kind, place = MeasureKind.FOSTER_CARE, rng.choice(people.FOSTER_HOMES)
        # A few placements broke down earlier and the child moved.
        if kind in (MeasureKind.FOSTER_CARE, MeasureKind.INSTITUTION) and rng.random() < 0.2:
            first_end = support_start + timedelta(days=rng.randint(30, 200))
            if first_end < today - timedelta(days=14):
                case_services.measure_add(
                    actor=caseworker,
                    child=child,
                    case=case,
                    kind=kind,
                    place=rng.choice(people.FOSTER_HOMES),
                    started_on=support_start,
                    ended_on=first_end,
                    end_kind=EndKind.UNPLANNED,
                )
                support_start = first_end
        measure = case_services.measure_add(
            actor=caseworker,
            child=child,
            case=case,
            kind=kind,
            place=place,
            started_on=support_start,
        )
        self.placements[child.pk] = measure
        # A draft until `_practice` hears the child and makes it final, as a caseworker would.
        case_services.decision_add(
            actor=caseworker,
            child=child,
            case=case,
            decided_on=support_start - timedelta(days=3),
            subject=f"Bevilling: {measure.get_kind_display().lower()}",
            measure=measure,
        )
        first_follow_up = support_start + timedelta(days=85)
        case_services.follow_up_add(
            actor=caseworker,
            child=child,
            case=case,
            due_on=first_follow_up,
            held_on=first_follow_up - timedelta(days=3)
            if first_follow_up < today - timedelta(days=20) and rng.random() < 0.8
            else None,
            note="Første opfølgning (§ 95)",
        )
        if first_follow_up < today:
            case_services.follow_up_add(
                actor=caseworker,
                child=child,
                case=case,
                due_on=today + timedelta(days=rng.randint(-10, 60)),
                note="Opfølgning",
            )
        if kind == MeasureKind.FOSTER_CARE:
            if place == people.FOSTER_HOMES[0]:
                ContributorLink.objects.create(
                    child=child,
                    user=self.users["plejefamilie"],
                    role=ContributorRole.FOSTER_CARER,
                    placement=measure,
                    started_on=support_start,
                )
            case_services.network_member_add(
                actor=caseworker,
                child=child,
                name=place,
                relation=Relation.FOSTER_CARER,
                phone=f"4{rng.randint(1000000, 9999999)}",
            )
        if kind == MeasureKind.INSTITUTION:
            if place == people.INSTITUTIONS[0]:
                ContributorLink.objects.create(
                    child=child,
                    user=self.users["solsikken"],
                    role=ContributorRole.INSTITUTION_STAFF,
                    placement=measure,
                    started_on=support_start,
                )
            case_services.network_member_add(
                actor=caseworker,
                child=child,
                name=f"Kontaktperson, {place}",
                relation=Relation.CONTACT_PERSON,
            )

    def _portal(self):
        """Three of Rikke's children use the portal: Ida (9, in foster care), Malik (15, a party
        who may complain, getting a new caseworker) and Maja (19, a young adult who takes her
        life book with her). Each has a plan and a decision written for them, an answer to a
        wish, a summary of the last meeting, a meeting ahead and a question after the last."""
        for first, last, years, code, pin in PORTAL_CHILDREN:
            child = self._portal_child(first, last, years)
            access, _code = portal_services.access_create(actor=self.users["rikke"], child=child)
            PortalAccess.objects.filter(pk=access.pk).update(
                code_digest=portal_services.code_digest(code)
            )
            portal_services.sign_in(code=code, new_pin=pin, new_pin_again=pin)
        malik = Child.objects.get(first_name="Malik", municipality__code=DEMO_CODE)
        now = timezone.now()
        handover = Handover.objects.create(
            child=malik,
            from_caseworker=self.users["rikke"],
            to_caseworker=self.users["jonas"],
            started_at=now - timedelta(days=2),
            overlap_until=self.today + timedelta(days=12),
            note="Malik vil helst mødes i ungdomsklubben efter skole.",
            joint_meeting_at=(now + timedelta(days=8)).replace(hour=15, minute=30, second=0),
            joint_meeting_place="Ungdomsklubben",
            started_by=self.users["hanne"],
        )
        CaseworkerAssignment.objects.create(
            child=malik,
            caseworker=self.users["jonas"],
            kind=AssignmentKind.OVERLAP,
            started_at=now - timedelta(days=2),
            handover=handover,
        )

    def _portal_child(self, first, last, years):
        rikke, carer, today = self.users["rikke"], self.users["plejefamilie"], self.today
        birth = today - timedelta(days=round(years * 365.25) + 40)
        child = Child.objects.create(
            municipality=rikke.municipality,
            cpr=make_cpr(birth, 700 + years),
            cpr_is_fictitious=True,
            birth_date=birth,
            first_name=first,
            last_name=last,
            languages="dansk",
        )
        case = Case.objects.create(child=child, opened_on=today - timedelta(days=900))
        CaseworkerAssignment.objects.create(
            child=child,
            caseworker=rikke,
            kind=AssignmentKind.RESPONSIBLE,
            started_at=self._at(today - timedelta(days=900)),
        )
        placement = case_services.measure_add(
            actor=rikke,
            child=child,
            case=case,
            kind=MeasureKind.FOSTER_CARE,
            place=people.FOSTER_HOMES[0],
            started_on=today - timedelta(days=800),
        )
        case_services.network_member_add(
            actor=rikke, child=child, name=people.FOSTER_HOMES[0], relation=Relation.FOSTER_CARER
        )
        ContributorLink.objects.create(
            child=child,
            user=carer,
            role=ContributorRole.FOSTER_CARER,
            placement=placement,
            started_on=placement.started_on,
        )
        conversation = self._held(
            actor=rikke,
            child=child,
            held=timezone.now() - timedelta(days=12),
            kind=ConversationKind.SUPERVISION,
            place="Hjemme hos plejefamilien",
            place_chosen_by_child=True,
            frame_why="Vi skal tale om, hvordan du har det.",
            summary=(
                "Tak for en god snak. Du fortalte, at du er glad for din skole. "
                "Du vil gerne se din bror mere. Det ser vi på."
            ),
            said=[
                ("Jeg er glad for min skole.", "everyone"),
                ("Jeg er bange for at flytte igen.", "staff_only"),
            ],
        )
        wish = conversation_services.wish_add(
            actor=rikke, conversation=conversation, text="Jeg vil se min bror hver uge"
        )
        decision = self._hear_and_decide(
            case_services.decision_add(
                actor=rikke,
                child=child,
                case=case,
                decided_on=today - timedelta(days=6),
                subject="Samvær med bror",
            ),
            actor=rikke,
            days_before=2,
            childs_view="Barnet ønsker at se sin bror hver uge.",
            how_weighed="Barnets ønske er fulgt.",
            explanation="Du må se din bror hver onsdag. Plejefamilien kører dig.",
            told_on=today - timedelta(days=5),
        )
        plan_services.wish_answer(
            actor=rikke,
            wish=wish,
            decision=decision,
            outcome="done",
            answer_to_child="Du må se din bror hver onsdag.",
        )
        self._plan(
            actor=rikke,
            child=child,
            adopted_on=today - timedelta(days=40),
            next_review_on=today + timedelta(days=140),
            text=(
                "Du bor hos din plejefamilie. Du går i din skole. "
                "Vi taler sammen hver tredje måned."
            ),
            goals=[
                (words, goal, today + timedelta(days=120))
                for words, goal in (
                    ("Jeg vil have en god ven i klassen", "Trivsel og venskaber i skolen"),
                    ("Jeg vil lære at svømme", "Fritidsaktivitet, der styrker selvtillid"),
                )
            ],
        )
        soon = (timezone.now() + timedelta(days=4)).replace(
            hour=15, minute=0, second=0, microsecond=0
        )
        conversation_services.conversation_plan(
            actor=rikke,
            child=child,
            kind=ConversationKind.SUPERVISION,
            planned_at=soon,
            place="Skolen",
            frame_why="Vi skal tale om skolen og om din bror.",
        )
        feedback_services.feedback_request_create(
            actor=rikke,
            child=child,
            instrument=Instrument.objects.get(key="meeting", municipality=None),
            channel=Channel.LINK,
            conversation=conversation,
        )
        for months, title, text in (
            (14, "Første dag hos os", "Du havde din bamse med."),
            (8, "Skolefest", "Du dansede hele aftenen."),
            (2, "Tur til stranden", "Vi fandt en krabbe."),
        ):
            entry = lifebook_services.entry_add(
                actor=carer,
                child=child,
                title=title,
                happened_on=today - timedelta(days=30 * months),
                text=text,
                place=people.FOSTER_HOMES[0],
                photo=SimpleUploadedFile("foto.png", _picture((90, 160, 220))),
            )
            lifebook_services.entry_approve(actor=rikke, entry=entry)
            Entry.objects.filter(pk=entry.pk).update(created_at=self._at(entry.happened_on))
        return child

    def _earlier_home(self, child, former, stories, rikke):
        """A foster home the child left: its placement ended, and so did its carer's link."""
        ended = self.placements[child.pk].started_on
        start = max(child.birth_date, ended - timedelta(days=400))
        if ended - start < timedelta(days=300):
            return
        placement = case_services.measure_add(
            actor=rikke,
            child=child,
            case=child.cases.first(),
            kind=MeasureKind.FOSTER_CARE,
            place="Plejefamilien Lauritsen",
            started_on=start,
            ended_on=ended,
            end_kind=EndKind.PLANNED,
        )
        link = ContributorLink.objects.create(
            child=child,
            user=former,
            role=ContributorRole.FOSTER_CARER,
            placement=placement,
            started_on=start,
        )
        for index, (title, milestone, text) in enumerate(stories):
            entry = lifebook_services.entry_add(
                actor=former,
                child=child,
                title=title,
                happened_on=start + timedelta(days=120 * index + 30),
                text=text,
                place="Plejefamilien Lauritsen",
                people="Bente og Ole Lauritsen",
                milestone=milestone,
                photo=SimpleUploadedFile("foto.png", _picture((180, 140, 200))),
            )
            lifebook_services.entry_approve(actor=rikke, entry=entry)
        lifebook_services.contributor_unlink(actor=rikke, link=link, ended_on=ended)

    def _handovers(self):
        """Two handovers under way (Rikke is over her caseload) and one just completed."""
        rikke, jonas, amira, leader = (
            self.users["rikke"],
            self.users["jonas"],
            self.users["amira"],
            self.users["hanne"],
        )
        # Children who have had only Rikke, so the history stays consistent.
        rikke_children = [
            child
            for child in Child.objects.filter(
                assignments__caseworker=rikke, assignments__ended_at__isnull=True
            )
            .annotate(n=Count("assignments"))
            .order_by("pk")
            if child.n == 1
        ][:3]
        now = timezone.now()
        for child, to, informed in (
            (rikke_children[0], amira, True),
            (rikke_children[1], jonas, False),
        ):
            handover = Handover.objects.create(
                child=child,
                from_caseworker=rikke,
                to_caseworker=to,
                started_at=now - timedelta(days=5),
                overlap_until=self.today + timedelta(days=9),
                note=(
                    f"{child.first_name} har det bedst med korte samtaler "
                    "og vil gerne mødes på skolen."
                ),
                joint_meeting_at=now + timedelta(days=3),
                joint_meeting_place="Skolen",
                child_informed_on=self.today - timedelta(days=2) if informed else None,
                child_informed_how="Fortalt ved besøg, med foto af den nye rådgiver"
                if informed
                else "",
                started_by=leader,
            )
            CaseworkerAssignment.objects.create(
                child=child,
                caseworker=to,
                kind=AssignmentKind.OVERLAP,
                started_at=now - timedelta(days=5),
                handover=handover,
            )
        # A handover completed last month: Jonas took over from Amira.
        child = rikke_children[2]
        current = CaseworkerAssignment.objects.get(child=child, ended_at__isnull=True)
        done_at = now - timedelta(days=30)
        handover = Handover.objects.create(
            child=child,
            from_caseworker=amira,
            to_caseworker=rikke,
            started_at=done_at - timedelta(days=14),
            overlap_until=(done_at).date(),
            note="Overdraget med fælles møde i hjemmet.",
            joint_meeting_at=done_at - timedelta(days=2),
            joint_meeting_place="Hjemme",
            child_informed_on=(done_at - timedelta(days=10)).date(),
            child_informed_how="Brev og telefonsamtale",
            status=HandoverStatus.COMPLETED,
            finished_at=done_at,
            started_by=leader,
        )
        CaseworkerAssignment.objects.filter(pk=current.pk).update(
            started_at=done_at, handover=handover
        )
        CaseworkerAssignment.objects.create(
            child=child,
            caseworker=amira,
            kind=AssignmentKind.RESPONSIBLE,
            started_at=done_at - timedelta(days=400),
            ended_at=done_at,
        )

    def _conversations(self):
        """Held conversations in the child's own words, a supervision visit, a planned one."""
        rng, now = self.rng, timezone.now()
        rikke = self.users["rikke"]
        children = list(
            Child.objects.filter(
                assignments__caseworker=rikke, assignments__ended_at__isnull=True
            ).order_by("pk")
        )
        sayings = [
            ("Jeg kan godt lide at være hos mormor.", "Mere tid hos mormor"),
            ("Det er svært når mor og far skændes.", "At der er ro derhjemme"),
            ("Jeg vil gerne blive på min skole.", "At blive på min skole"),
            ("Jeg savner min lillebror.", "At se min lillebror hver uge"),
            ("Fodbold er det bedste jeg ved.", "At fortsætte med fodbold"),
        ]
        for index, child in enumerate(children[:12]):
            held = now - timedelta(days=rng.randint(10, 70))
            said, wish = sayings[index % len(sayings)]
            conversation = self._held(
                actor=rikke,
                child=child,
                held=held,
                kind=ConversationKind.FOLLOW_UP,
                place=rng.choice(["Skolen", "Hjemme", "Legepladsen", "Rådhuset"]),
                place_chosen_by_child=rng.random() < 0.6,
                frame_why="Vi skal tale om, hvordan det går.",
                frame_use="Det du siger, skriver jeg ned med dine ord.",
                frame_who_knows="Din sagsbehandler og din mor og far, hvis du siger ja.",
                summary=f"Tak for i dag. Du sagde: {wish.lower()}. Det husker jeg.",
                said=[(said, "everyone")],
            )
            conversation_services.wish_add(actor=rikke, conversation=conversation, text=wish)
            if child.age() >= 6:
                conversation_services.tool_record_add(
                    actor=rikke,
                    conversation=conversation,
                    tool=Tool.SCALE,
                    scale_question="Hvordan har du det i skolen?",
                    scale_value=rng.randint(3, 9),
                )
        if children:
            soon = now + timedelta(days=6)
            conversation_services.conversation_plan(
                actor=rikke,
                child=children[-1],
                kind=ConversationKind.BEFORE_DECISION,
                planned_at=soon.replace(hour=14, minute=0, second=0, microsecond=0),
                place="Ungdomsklubben",
                place_chosen_by_child=True,
                frame_why="Kommunen skal beslutte, om du skal have en kontaktperson.",
                frame_decision="Teamlederen beslutter det efter vores samtale.",
                frame_use="Det du siger, bliver skrevet ind i afgørelsen.",
                frame_who_knows="Din mor og far kan læse det, hvis du siger ja.",
            )

    def _feedback(self):
        """The children's answers after their meetings: a trend for each, one falling low."""
        rikke = self.users["rikke"]
        meeting = Instrument.objects.get(key="meeting", municipality=None)
        held = list(
            Conversation.objects.filter(status=ConversationStatus.HELD, created_by=rikke).order_by(
                "child_id"
            )
        )
        for index, conversation in enumerate(held):
            # Earlier meetings without a linked conversation give each child a trend.
            history = [8, 7, 9, 8] if index % 3 else [9, 8, 8, 4]
            for weeks_ago, level in zip((20, 14, 8, 0), history, strict=True):
                request, _token = feedback_services.feedback_request_create(
                    actor=rikke,
                    child=conversation.child,
                    instrument=meeting,
                    channel=Channel.LINK,
                    conversation=conversation if weeks_ago == 0 else None,
                )
                response = feedback_services.response_for(request)
                for item in request.version.items.all():
                    value = max(0, min(10, level + self.rng.choice([-1, 0, 0, 1])))
                    if response.scale == "faces":
                        value = max(1, min(5, round(value / 2.5) + 1))
                    feedback_services.answer_item(response=response, item=item, value=value)
                feedback_services.complete(response=response)
                when = (conversation.held_at or timezone.now()) - timedelta(weeks=weeks_ago)
                FeedbackResponse.objects.filter(pk=response.pk).update(completed_at=when)

    def _practice(self):
        """The earlier course of the cases as practice really is, so the dashboards have
        something to show: most decisions on a measure were preceded by a conversation and
        carry the child's view, most placements got their plan in time and two supervision
        visits a year — not all."""
        rng, today = self.rng, self.today
        decisions = Decision.objects.filter(
            measure__isnull=False, case__child__municipality__code=DEMO_CODE
        ).select_related("case__child", "measure")
        holders = dict(
            CaseworkerAssignment.objects.filter(
                kind=AssignmentKind.RESPONSIBLE, ended_at__isnull=True
            ).values_list("child_id", "caseworker_id")
        )
        staff = {user.pk: user for user in self.users.values()}
        for decision in decisions.order_by("pk"):
            child = decision.case.child
            caseworker = staff.get(holders.get(child.pk)) or self.users["rikke"]
            # Most children were heard before the decision; some refused to talk (lawful, and
            # recorded); for a few the conversation is still to come, so the decision is a
            # draft the guard will not let be final yet.
            heard = rng.random() < 0.7 and "held"
            if not heard:
                heard = "refused" if rng.random() < 0.5 else ""
            told = rng.random() < 0.6
            self._hear_and_decide(
                decision,
                actor=caseworker,
                heard=heard,
                days_before=rng.randint(5, 30),
                told_on=decision.decided_on + timedelta(days=2) if told and heard else None,
                final=bool(heard),
            )
            measure = decision.measure
            if not measure.is_placement:
                continue
            if decision.plan_due <= today or rng.random() < 0.5:
                days = rng.randint(20, 80) if rng.random() < 0.7 else rng.randint(95, 130)
                adopted = decision.decided_on + timedelta(days=days)
                if adopted <= today:
                    self._plan(
                        actor=caseworker,
                        child=child,
                        decision=decision,
                        adopted_on=adopted,
                        next_review_on=today + timedelta(days=rng.randint(20, 150)),
                        text="Du bor i din plejefamilie. Vi ses hver tredje måned.",
                        goals=[
                            (
                                "Jeg vil have det godt",
                                "Trivsel i plejefamilien",
                                adopted + timedelta(days=180),
                            )
                        ],
                        agrees=rng.choice([True, True, False, None]),
                    )
            if measure.started_on <= today - timedelta(days=365) and measure.ended_on is None:
                for _visit in range(2 if rng.random() < 0.7 else 1):
                    self._held(
                        actor=caseworker,
                        child=child,
                        held=self._at(today - timedelta(days=rng.randint(20, 340))),
                        kind=ConversationKind.SUPERVISION,
                        place=measure.place or "Plejefamilien",
                        measure=measure,
                    )

    def _decisions(self):
        """A draft decision refused finality for lack of a conversation, a final one that
        answers the child's wish, a complaint, and wishes still waiting for an answer."""
        rikke = self.users["rikke"]
        wishes = list(Wish.objects.filter(child__assignments__caseworker=rikke).order_by("pk"))
        if len(wishes) < 2:
            return
        answered = wishes[0]
        child = answered.child
        decision = self._hear_and_decide(
            case_services.decision_add(
                actor=rikke,
                child=child,
                case=child.cases.get(),
                decided_on=self.today - timedelta(days=5),
                subject="Bevilling: mere samvær med mormor",
            ),
            actor=rikke,
            days_before=2,
            childs_view="Barnet vil gerne være mere hos mormor.",
            how_weighed="Barnets ønske er fulgt fuldt ud.",
            explanation="Du må være hos mormor hver anden weekend.",
            told_on=self.today - timedelta(days=4),
            told_how="Fortalt ved besøg i hjemmet",
        )
        plan_services.wish_answer(
            actor=rikke,
            wish=answered,
            decision=decision,
            outcome="done",
            answer_to_child="Du må være hos mormor hver anden weekend.",
        )
        plan_services.complaint_record(
            actor=rikke,
            child=child,
            decision=decision,
            received_on=self.today - timedelta(days=2),
            complainant="parent",
            summary="Far er uenig i samværet.",
        )
        self._plan(
            actor=rikke,
            child=child,
            decision=decision,
            adopted_on=self.today - timedelta(days=3),
            next_review_on=self.today + timedelta(days=90),
            family_support="Forældrene får rådgivning hver anden uge.",
            text="Du bor hos mor. Du er hos mormor hver anden weekend. Vi ses igen om tre måneder.",
            goals=[
                (
                    "Jeg vil være mere hos mormor",
                    "Stabilt samvær med mormor hver anden weekend",
                    self.today + timedelta(days=60),
                )
            ],
            agrees=True,
        )
        # A draft without any conversation before it: the guard refuses to make it final.
        draft_child = wishes[1].child
        self._hear_and_decide(
            case_services.decision_add(
                actor=rikke,
                child=draft_child,
                case=draft_child.cases.get(),
                decided_on=self.today,
                subject="Bevilling: kontaktperson",
            ),
            actor=rikke,
            heard="",
            childs_view="Barnet har sagt, at det gerne vil have en voksen at tale med.",
            how_weighed="Ønsket taler for en kontaktperson.",
            explanation="Du får en voksen, du kan tale med hver uge.",
            final=False,
        )

    def _lifebooks(self):
        """Life books from several homes: an earlier foster home whose link ended with its
        placement (everything it added stays), and the current home with photos, a song, a
        school report, a sealed letter, comments and the child's favourites."""
        rng = self.rng
        carer, former = self.users["plejefamilie"], self.users["lauritsen"]
        rikke = self.users["rikke"]
        stories = [
            ("Første skoledag", "first_school_day", "Med ny taske og madpakke."),
            ("Fødselsdag med lagkage", "birthday", "Vi sang, og der var flag på bordet."),
            ("Flytning til plejefamilien", "move", "Vi hentede dine ting sammen."),
            ("Sommerferie ved havet", "holiday", "Vi byggede sandslotte hele dagen."),
            ("Svømmemærke", "achievement", "Du svømmede 200 meter!"),
        ]
        earlier = [
            ("Din første cykel", "achievement", "Du cyklede hele vejen rundt om søen."),
            ("Jul hos Lauritsen", "", "Risalamande, og du fandt mandlen!"),
            ("Farvel til Lauritsen", "move", "Vi lovede at sende kort. Du er altid velkommen."),
        ]
        colours = [(240, 180, 60), (90, 160, 220), (120, 190, 120), (220, 110, 110)]
        report = HTML(
            string="<h1>Skoleudtalelse</h1><p>Eleven deltager aktivt og har mange venner.</p>"
        ).write_pdf()
        links = ContributorLink.objects.filter(user=carer).select_related("child")[:4]
        for number, link in enumerate(links):
            child = link.child
            home = (
                child.network.filter(relation="foster_carer").values_list("name", flat=True).first()
                or "Hjemme"
            )
            if number < 2:
                self._earlier_home(child, former, earlier, rikke)
            for index, (title, milestone, text) in enumerate(stories):
                when = self.today - timedelta(days=40 * (len(stories) - index) + rng.randint(0, 9))
                if when < child.birth_date:
                    continue
                author = carer if index % 2 else rikke
                extra = {}
                if index == 1:
                    extra["attachment"] = SimpleUploadedFile("fødselsdagssang.wav", _song())
                if index == 4:
                    extra["attachment"] = SimpleUploadedFile("skoleudtalelse.pdf", report)
                entry = lifebook_services.entry_add(
                    actor=author,
                    child=child,
                    title=title,
                    happened_on=when,
                    text=text,
                    place=home,
                    milestone=milestone,
                    photo=SimpleUploadedFile("foto.png", _picture(colours[index % 4])),
                    **extra,
                )
                if index < 3 and not entry.is_approved:
                    lifebook_services.entry_approve(actor=rikke, entry=entry)
                if index == 1:
                    lifebook_services.comment_add(
                        actor=rikke, entry=entry, text="Hvor er det en fin sang!"
                    )
                    lifebook_services.entry_mark(actor=rikke, entry=entry, favourite=True)
            lifebook_services.entry_add(
                actor=rikke,
                child=child,
                title="Brev fra din mor",
                happened_on=self.today - timedelta(days=20),
                text="Et brev, som du kan læse, når du er ældre.",
                sealed_until_age=max(child.age() + 1, 15),
            )
            # Each entry was written on the day it tells of, so the foster carer's cadence
            # (one entry a month) shows who is behind; in the first home she wrote last week.
            if number == 0:
                lifebook_services.entry_add(
                    actor=carer,
                    child=child,
                    title="Tur i skoven",
                    happened_on=self.today - timedelta(days=6),
                    text="Vi fandt svampe og en frø.",
                    place=home,
                )
            for entry in Entry.objects.filter(child=child):
                written = self._at(entry.happened_on)
                Entry.objects.filter(pk=entry.pk).update(created_at=written)


def _picture(colour) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def _song() -> bytes:
    """Two seconds of a simple tune, as a real WAV file."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(8000)
        frames = bytearray()
        for tone in (262, 330, 392, 523):
            for n in range(4000):
                frames += struct.pack("<h", int(8000 * math.sin(2 * math.pi * tone * n / 8000)))
        sound.writeframes(bytes(frames))
    return buffer.getvalue()
