"""Build a synthetic data set for scale work: municipalities, staff, children with cases,
networks, caseworker histories and the case's course, with bulk inserts.

The same --seed and --as-of give the same data. Synthetic records carry no change history
(they were never changed); every CPR number is marked fictitious.
"""

import math
import random
import time as time_module
from datetime import date, datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Municipality, Role, Team, User
from cases.cpr import make_cpr
from cases.models import (
    PLACEMENT_KINDS,
    Assessment,
    Case,
    Child,
    ConcernReport,
    ContributorLink,
    ContributorRole,
    Decision,
    EndKind,
    FollowUp,
    Measure,
    MeasureKind,
    NetworkMember,
    Relation,
)
from continuity.models import AssignmentKind, CaseworkerAssignment
from conversations.models import (
    Conversation,
    ConversationKind,
    ConversationStatus,
    Statement,
    Visibility,
    Wish,
)
from demo import people
from feedback import scoring
from feedback.models import (
    Channel,
    FeedbackRequest,
    FeedbackResponse,
    Instrument,
    ItemAnswer,
    Respondent,
    Scale,
    token_digest,
)
from insights.models import SelfAssessment
from lifebook.models import Entry
from plans.models import ChildPlan, Complaint, ComplaintFrom, PlanKind, WishAnswer

BATCH = 5000
CHILDREN_PER_CASEWORKER = 22
CASEWORKERS_PER_TEAM = 8
FIRST_CODE = 900
STATEMENTS = [
    "Jeg vil gerne bo hjemme.",
    "Det går godt i skolen.",
    "Jeg savner min søster.",
    "Jeg er glad for min plejefamilie.",
    "Jeg vil ikke skifte skole.",
]


class Command(BaseCommand):
    help = "Generate synthetic municipalities, staff and children for scale work (bulk inserts)."

    def add_arguments(self, parser):
        parser.add_argument("--children", type=int, default=1000)
        parser.add_argument("--municipalities", type=int, default=1)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--as-of",
            type=date.fromisoformat,
            default=None,
            help="The day the data is generated around (YYYY-MM-DD); default today.",
        )

    def handle(self, *args, children, municipalities, seed, as_of, **options):
        if children < 1 or not 1 <= municipalities <= 99:
            raise CommandError("Give at least one child and 1-99 municipalities.")
        self.rng = random.Random(seed)
        self.today = as_of or timezone.localdate()
        codes = [f"{FIRST_CODE + i:03d}" for i in range(municipalities)]
        if Municipality.objects.filter(code__in=codes).exists():
            raise CommandError(
                f"Municipalities {codes[0]}-{codes[-1]} already exist; use a fresh database."
            )
        started = time_module.perf_counter()
        self.password = make_password(None)  # unusable: synthetic staff cannot sign in
        counts = {}
        with transaction.atomic():
            for index, code in enumerate(codes):
                share = children // municipalities + (1 if index < children % municipalities else 0)
                for name, n in self._municipality(code, share).items():
                    counts[name] = counts.get(name, 0) + n
        summary = ", ".join(f"{n} {name}" for name, n in counts.items())
        # Fresh planner statistics after a bulk load; without them PostgreSQL picks plans for
        # empty tables and the start page takes seconds instead of milliseconds.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        elapsed = time_module.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Generated {summary} in {elapsed:.0f} s."))

    def _at(self, day: date) -> datetime:
        return timezone.make_aware(datetime.combine(day, time(9, 0)))

    def _municipality(self, code: str, n_children: int) -> dict[str, int]:
        rng, today = self.rng, self.today
        municipality = Municipality.objects.create(code=code, name=f"Syntetisk Kommune {code}")
        n_caseworkers = max(1, math.ceil(n_children / CHILDREN_PER_CASEWORKER))
        n_teams = max(1, math.ceil(n_caseworkers / CASEWORKERS_PER_TEAM))
        teams = Team.objects.bulk_create(
            [Team(municipality=municipality, name=f"Team {i + 1}") for i in range(n_teams)]
        )

        def user(username, role, team=None):
            return User(
                username=f"{code}-{username}",
                first_name=rng.choice(people.ADULT_FIRST),
                last_name=rng.choice(people.SURNAMES),
                role=role,
                municipality=municipality,
                team=team,
                password=self.password,
            )

        staff = [
            user("head", Role.HEAD_OF_DEPARTMENT),
            user("admin", Role.ADMINISTRATOR),
            user("analyst", Role.ANALYST),
        ]
        staff += [user(f"leader{i + 1}", Role.TEAM_LEADER, team) for i, team in enumerate(teams)]
        caseworkers = [
            user(f"cw{i + 1}", Role.CASEWORKER, teams[i // CASEWORKERS_PER_TEAM])
            for i in range(n_caseworkers)
        ]
        User.objects.bulk_create(staff + caseworkers, batch_size=BATCH)
        caseworkers = list(
            User.objects.filter(municipality=municipality, role=Role.CASEWORKER).order_by("pk")
        )

        serials: dict[date, int] = {}
        children = []
        for _ in range(n_children):
            birth = today - timedelta(days=rng.randint(30, 18 * 365 - 30))
            serials[birth] = serials.get(birth, -1) + 1
            girl = rng.random() < 0.5
            children.append(
                Child(
                    municipality=municipality,
                    cpr=make_cpr(birth, serials[birth] * 2 + (0 if girl else 1)),
                    cpr_is_fictitious=True,
                    birth_date=birth,
                    first_name=rng.choice(people.GIRLS if girl else people.BOYS),
                    last_name=rng.choice(people.SURNAMES),
                    languages=rng.choice(people.LANGUAGES),
                )
            )
        Child.objects.bulk_create(children, batch_size=BATCH)
        cases = [
            Case(
                child=child,
                opened_on=max(
                    child.birth_date, today - timedelta(days=int(rng.expovariate(1 / 500)))
                ),
            )
            for child in children
        ]
        Case.objects.bulk_create(cases, batch_size=BATCH)

        rows = {
            "network": [],
            "assignments": [],
            "measures": [],
            "assessments": [],
            "concerns": [],
            "follow_ups": [],
        }
        decisions_for = []
        for index, (child, case) in enumerate(zip(children, cases, strict=True)):
            self._network(child, rows["network"])
            self._assignments(child, case, caseworkers, index, rows["assignments"])
            self._course(child, case, rows, decisions_for)

        NetworkMember.objects.bulk_create(rows["network"], batch_size=BATCH)
        CaseworkerAssignment.objects.bulk_create(rows["assignments"], batch_size=BATCH)
        Measure.objects.bulk_create(rows["measures"], batch_size=BATCH)
        Assessment.objects.bulk_create(rows["assessments"], batch_size=BATCH)
        ConcernReport.objects.bulk_create(rows["concerns"], batch_size=BATCH)
        FollowUp.objects.bulk_create(rows["follow_ups"], batch_size=BATCH)
        decisions = [
            Decision(
                case=measure.case,
                measure=measure,
                decided_on=measure.started_on - timedelta(days=3),
                plan_due=Decision.plan_due_for(measure.started_on - timedelta(days=3), False),
                finalised_at=self._at(measure.started_on - timedelta(days=3)),
                subject="Bevilling",
                **self._childs_view(measure.started_on - timedelta(days=3)),
            )
            for measure in decisions_for
        ]
        Decision.objects.bulk_create(decisions, batch_size=BATCH)
        conversations, statements = self._conversations(children, caseworkers)
        conversations += self._heard_before(decisions, caseworkers)
        Conversation.objects.bulk_create(conversations, batch_size=BATCH)
        Statement.objects.bulk_create(
            [Statement(conversation=c, text=text, visibility=v) for c, text, v in statements],
            batch_size=BATCH,
        )
        feedback_count = self._feedback(conversations, code)
        wishes, answers = self._wishes(conversations)
        Wish.objects.bulk_create(wishes, batch_size=BATCH)
        WishAnswer.objects.bulk_create(answers, batch_size=BATCH)
        plans = self._plans(decisions, caseworkers)
        ChildPlan.objects.bulk_create(plans, batch_size=BATCH)
        complaints = [
            Complaint(
                child=d.case.child,
                decision=d,
                received_on=d.decided_on + timedelta(days=10),
                complainant=ComplaintFrom.PARENT,
                summary="Uenig i afgørelsen.",
            )
            for d in decisions
            if rng.random() < 0.04
        ]
        Complaint.objects.bulk_create(complaints, batch_size=BATCH)
        entries = self._life_books(municipality, code, decisions)
        SelfAssessment.objects.create(
            municipality=municipality,
            carried_out_on=today - timedelta(days=60),
            created_by=staff[0],
            score=rng.randint(40, 80),
        )
        return {
            "municipalities": 1,
            "staff": len(staff) + len(caseworkers),
            "children": len(children),
            "network members": len(rows["network"]),
            "caseworker assignments": len(rows["assignments"]),
            "measures": len(rows["measures"]),
            "assessments": len(rows["assessments"]),
            "reports of concern": len(rows["concerns"]),
            "decisions": len(decisions),
            "wishes": len(wishes),
            "wish answers": len(answers),
            "plans": len(plans),
            "complaints": len(complaints),
            "life-book entries": entries,
            "follow-ups": len(rows["follow_ups"]),
            "conversations": len(conversations),
            "statements": len(statements),
            "feedback answers": feedback_count,
        }

    def _conversations(self, children, caseworkers):
        """Held conversations in the past, about two per child, each with one statement."""
        rng, today = self.rng, self.today
        kinds = [
            ConversationKind.FOLLOW_UP,
            ConversationKind.SUPERVISION,
            ConversationKind.INFORMAL,
            ConversationKind.BEFORE_DECISION,
        ]
        conversations, statements = [], []
        for index, child in enumerate(children):
            for _ in range(rng.choices([0, 1, 2, 3, 5], weights=[2, 3, 3, 1, 1])[0]):
                held = self._at(today - timedelta(days=rng.randint(1, 700)))
                if held.date() < child.birth_date:
                    continue
                conversation = Conversation(
                    child=child,
                    kind=rng.choice(kinds),
                    status=ConversationStatus.HELD,
                    planned_at=held,
                    held_at=held,
                    place=rng.choice(["Skolen", "Hjemme", "Rådhuset"]),
                    created_by=caseworkers[index % len(caseworkers)],
                )
                conversations.append(conversation)
                statements.append(
                    (conversation, rng.choice(STATEMENTS), rng.choice(Visibility.values))
                )
        return conversations, statements

    def _childs_view(self, decided_on) -> dict:
        """About two in three decisions carry the child's view, fewer were explained."""
        rng = self.rng
        if rng.random() >= 0.65:
            return {}
        told = rng.random() < 0.7
        return {
            "childs_view": "Barnet vil gerne blive boende.",
            "how_weighed": "Barnets ønske er vægtet.",
            "explanation_for_child": "Du får hjælp derhjemme." if told else "",
            "child_told_on": decided_on + timedelta(days=2) if told else None,
        }

    def _heard_before(self, decisions, caseworkers) -> list:
        """A conversation before about 65 % of the decisions, linked to it."""
        rng, out = self.rng, []
        for index, decision in enumerate(decisions):
            if rng.random() >= 0.65:
                continue
            held = self._at(decision.decided_on - timedelta(days=rng.randint(3, 40)))
            if held.date() < decision.case.child.birth_date:
                continue
            out.append(
                Conversation(
                    child=decision.case.child,
                    kind=ConversationKind.BEFORE_DECISION,
                    status=ConversationStatus.HELD,
                    planned_at=held,
                    held_at=held,
                    place="Rådhuset",
                    decision=decision,
                    created_by=caseworkers[index % len(caseworkers)],
                )
            )
        return out

    def _wishes(self, conversations) -> tuple[list, list]:
        """A wish from half the conversations; about half of them answered."""
        rng, wishes, answers = self.rng, [], []
        for conversation in conversations:
            if rng.random() >= 0.5:
                continue
            wish = Wish(child=conversation.child, conversation=conversation, text="At blive hjemme")
            wishes.append(wish)
            if rng.random() < 0.5:
                answers.append(
                    WishAnswer(
                        wish=wish,
                        outcome="done",
                        answer_to_child="Det gør vi.",
                        created_by=conversation.created_by,
                    )
                )
        return wishes, answers

    def _plans(self, decisions, caseworkers) -> list:
        """A plan for most placements, three in four adopted in time."""
        rng, today, plans = self.rng, self.today, []
        for index, decision in enumerate(decisions):
            if decision.measure.kind not in PLACEMENT_KINDS or rng.random() >= 0.9:
                continue
            days = rng.randint(20, 85) if rng.random() < 0.75 else rng.randint(95, 150)
            adopted = decision.decided_on + timedelta(days=days)
            plans.append(
                ChildPlan(
                    child=decision.case.child,
                    kind=PlanKind.CHILD,
                    decision=decision,
                    adopted_on=adopted if adopted <= today else None,
                    next_review_on=today + timedelta(days=rng.randint(10, 180)),
                    child_agrees=rng.choice([True, True, False, None]),
                    created_by=caseworkers[index % len(caseworkers)],
                )
            )
        return plans

    def _life_books(self, municipality, code, decisions) -> int:
        """A foster carer for each placement, linked to the child, writing in the life book
        about once a month (some fall behind)."""
        rng, today = self.rng, self.today
        placements = [d for d in decisions if d.measure.kind in PLACEMENT_KINDS]
        carers = [
            User(
                username=f"{code}-carer{i + 1}",
                first_name=rng.choice(people.ADULT_FIRST),
                last_name=rng.choice(people.SURNAMES),
                role=Role.CONTRIBUTOR,
                municipality=municipality,
                password=self.password,
            )
            for i in range(len(placements))
        ]
        User.objects.bulk_create(carers, batch_size=BATCH)
        carers = list(
            User.objects.filter(municipality=municipality, role=Role.CONTRIBUTOR).order_by("pk")
        )
        links, entries = [], []
        for decision, carer in zip(placements, carers, strict=True):
            measure, child = decision.measure, decision.case.child
            links.append(
                ContributorLink(
                    child=child,
                    user=carer,
                    role=ContributorRole.FOSTER_CARER,
                    placement=measure,
                    started_on=measure.started_on,
                    ended_on=measure.ended_on,
                )
            )
            months = max(0, (min(today, measure.ended_on or today) - measure.started_on).days // 30)
            for month in range(min(months, 24)):
                if rng.random() < 0.8:
                    entries.append(
                        Entry(
                            child=child,
                            author=carer,
                            author_role=ContributorRole.FOSTER_CARER,
                            happened_on=measure.started_on + timedelta(days=30 * month + 5),
                            title="En god dag",
                            text="Vi var i skoven og så en ræv.",
                            approved_at=self._at(today),
                        )
                    )
        ContributorLink.objects.bulk_create(links, batch_size=BATCH)
        Entry.objects.bulk_create(entries, batch_size=BATCH)
        return len(entries)

    def _feedback(self, conversations, code) -> int:
        """The child's answers after about 40 % of the meetings, on the default instrument."""
        rng = self.rng
        version = Instrument.objects.get(key="meeting", municipality=None).current_version()
        items = list(version.items.all())
        requests, responses, answers = [], [], []
        for index, conversation in enumerate(conversations):
            if conversation.kind == ConversationKind.INFORMAL or rng.random() >= 0.4:
                continue
            age = (conversation.held_at.date() - conversation.child.birth_date).days // 365
            scale = scoring.scale_for_age(age, version.faces_below_age)
            level = rng.choice([9, 8, 8, 7, 6, 4])
            request = FeedbackRequest(
                child=conversation.child,
                conversation=conversation,
                version=version,
                respondent=Respondent.CHILD,
                channel=Channel.LINK,
                token_hash=token_digest(f"synthetic-{code}-{index}"),
                expires_at=conversation.held_at + timedelta(days=3),
                created_by=conversation.created_by,
            )
            values = [max(0, min(10, level + rng.choice([-2, -1, 0, 0, 1]))) for _ in items]
            if scale == Scale.FACES:
                values = [round(v / 2.5) + 1 for v in values]
            normalized = [scoring.normalize(v, scale) for v in values]
            response = FeedbackResponse(
                request=request,
                child=conversation.child,
                version=version,
                respondent=Respondent.CHILD,
                scale=scale,
                child_age=age,
                completed_at=conversation.held_at + timedelta(hours=1),
                score=scoring.score(normalized),
            )
            requests.append(request)
            responses.append(response)
            answers += [
                ItemAnswer(response=response, item=item, value=value, normalized=norm)
                for item, value, norm in zip(items, values, normalized, strict=True)
            ]
        FeedbackRequest.objects.bulk_create(requests, batch_size=BATCH)
        FeedbackResponse.objects.bulk_create(responses, batch_size=BATCH)
        ItemAnswer.objects.bulk_create(answers, batch_size=BATCH)
        return len(responses)

    def _network(self, child, out):
        rng = self.rng
        out.append(
            NetworkMember(
                child=child,
                name=f"{rng.choice(people.ADULT_FIRST)} {child.last_name}",
                relation=Relation.PARENT,
                relation_detail="mor",
                holds_custody=True,
            )
        )
        if rng.random() < 0.7:
            out.append(
                NetworkMember(
                    child=child,
                    name=f"{rng.choice(people.ADULT_FIRST)} {rng.choice(people.SURNAMES)}",
                    relation=Relation.PARENT,
                    relation_detail="far",
                    holds_custody=rng.random() < 0.6,
                )
            )
        for _ in range(rng.choices([0, 1, 2], weights=[4, 4, 2])[0]):
            out.append(
                NetworkMember(
                    child=child,
                    name=f"{rng.choice(people.GIRLS + people.BOYS)} {child.last_name}",
                    relation=Relation.SIBLING,
                )
            )
        if self.today.year - child.birth_date.year >= 6:
            out.append(
                NetworkMember(
                    child=child, name=rng.choice(people.SCHOOLS), relation=Relation.SCHOOL
                )
            )

    def _assignments(self, child, case, caseworkers, index, out):
        """60 % have had one caseworker, 30 % two and 10 % three; the last one holds the case."""
        rng = self.rng
        n = rng.choices([1, 2, 3], weights=[6, 3, 1])[0]
        span = max(1, (self.today - case.opened_on).days)
        switches = sorted(rng.sample(range(1, span), min(n - 1, span - 1))) if span > 2 else []
        starts = [case.opened_on] + [case.opened_on + timedelta(days=d) for d in switches]
        current = caseworkers[index % len(caseworkers)]
        for position, start in enumerate(starts):
            last = position == len(starts) - 1
            out.append(
                CaseworkerAssignment(
                    child=child,
                    caseworker=current if last else rng.choice(caseworkers),
                    kind=AssignmentKind.RESPONSIBLE,
                    started_at=self._at(start),
                    ended_at=None if last else self._at(starts[position + 1]),
                )
            )

    def _course(self, child, case, rows, decisions_for):
        rng, today = self.rng, self.today
        if rng.random() < 0.6:
            rows["concerns"].append(
                ConcernReport(
                    case=case,
                    received_on=case.opened_on,
                    source=rng.choice(["Skolen", "Sundhedsplejen", "Politiet", "Anonym"]),
                    concerns_abuse=rng.random() < 0.1,
                )
            )
        situation = rng.choices(
            ["home", "foster", "institution", "assessing"], weights=[35, 25, 10, 30]
        )[0]
        if situation == "assessing":
            known = today - timedelta(days=rng.randint(0, 160))
            rows["assessments"].append(
                Assessment(case=case, need_known_on=known, deadline=Assessment.deadline_for(known))
            )
            return
        start = min(today, case.opened_on + timedelta(days=rng.randint(30, 120)))
        known = start - timedelta(days=rng.randint(60, 120))
        rows["assessments"].append(
            Assessment(
                case=case,
                need_known_on=known,
                deadline=Assessment.deadline_for(known),
                completed_on=start - timedelta(days=5),
            )
        )
        kind, place = {
            "home": (MeasureKind.FAMILY_SUPPORT, "Familiehuset"),
            "foster": (MeasureKind.FOSTER_CARE, rng.choice(people.FOSTER_HOMES)),
            "institution": (MeasureKind.INSTITUTION, rng.choice(people.INSTITUTIONS)),
        }[situation]
        ended = rng.random() < 0.15 and (today - start).days > 60
        measure = Measure(
            case=case,
            kind=kind,
            place=place,
            started_on=start,
            first_follow_up_due=Measure.first_follow_up_due_for(start),
            ended_on=start + timedelta(days=rng.randint(30, (today - start).days))
            if ended
            else None,
            end_kind=rng.choice([EndKind.PLANNED, EndKind.UNPLANNED]) if ended else "",
        )
        rows["measures"].append(measure)
        decisions_for.append(measure)
        due = start + timedelta(days=90)
        rows["follow_ups"].append(
            FollowUp(
                case=case,
                due_on=due,
                held_on=due - timedelta(days=2) if due < today and rng.random() < 0.75 else None,
            )
        )
