"""The demo municipality and the synthetic data generator."""

from datetime import date
from io import StringIO

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from cases.models import PLACEMENT_KINDS, Assessment, Child, ContributorLink, Measure
from continuity.models import CaseworkerAssignment, Handover, HandoverStatus
from lifebook.models import Attachment, Entry
from lifebook.services import contributors_behind


def _counts():
    return {
        model.__name__: model.all_objects.count()
        for model in (Child, Measure, Assessment, Handover, CaseworkerAssignment)
    } | {"history": Child.history.count(), "users": User.objects.count()}


def test_demo_loads_a_varied_municipality_and_a_second_run_changes_nothing(db):
    out = StringIO()
    call_command("demo", stdout=out)
    assert "stemme-demo-2026" in out.getvalue() and "rikke" in out.getvalue()
    children = Child.objects.filter(municipality__code="265")
    assert 55 <= children.count() <= 65
    ages = {child.age() for child in children}
    assert min(ages) <= 1 and max(ages) >= 16
    assert all(child.cpr_is_fictitious for child in children)
    measures = Measure.objects.filter(case__child__in=children)
    assert measures.filter(kind="foster_care").exists()
    assert measures.filter(kind="institution").exists()
    assert measures.exclude(kind__in=PLACEMENT_KINDS).exists()
    assert any(a.is_overdue() for a in Assessment.objects.filter(completed_on__isnull=True))
    assert Handover.objects.filter(status=HandoverStatus.IN_PROGRESS).count() == 3
    # The portal's demo children: 9, 15 and 19 years, each with a code and PIN that work.
    from demo.management.commands.demo import PORTAL_CHILDREN
    from portal import selectors, services

    for first, _last, years, code, pin in PORTAL_CHILDREN:
        assert code in out.getvalue()
        child = services.sign_in(code=code, pin=pin).child
        assert child.first_name == first and child.age() == years
        assert selectors.plans_for_child(child) and selectors.decisions_for_child(child)
        assert selectors.next_meeting(child) and selectors.feedback_open(child).exists()
        assert selectors.you_said_we_did(child) and selectors.meetings_told(child)
    assert selectors.caseworker_change(children.get(first_name="Malik")).under_way
    assert Handover.objects.filter(status=HandoverStatus.COMPLETED).exists()
    for role in Role:
        assert User.objects.filter(role=role, municipality__code="265").exists(), role
    # Life books from several homes: the earlier home's link ended, its entries stayed.
    earlier = ContributorLink.objects.filter(user__username="lauritsen")
    assert earlier.exists() and not earlier.current().exists()
    assert Entry.objects.filter(author__username="lauritsen", approved_at__isnull=False).exists()
    assert Attachment.objects.filter(kind="audio").exists()
    assert Attachment.objects.filter(kind="document").exists()
    assert Entry.objects.filter(sealed_until_age__isnull=False).exists()
    # Reflection on practice: a shared reflection, a commented video, a session to follow up.
    from reflection.models import PracticeVideo, Reflection, TeamSession

    assert Reflection.objects.filter(author__username="rikke", shared_with_leader=True).exists()
    video = PracticeVideo.objects.get(owner__username="rikke")
    assert video.comments.filter(author__username="konsulent", at_seconds=12).exists()
    assert TeamSession.objects.get().follow_up_is_due()
    links = ContributorLink.objects.current().values("child_id")
    assert {b.contributor.username for b in contributors_behind(links)} >= {"plejefamilie"}
    # The leader's and the municipality's dashboards show every indicator with a number.
    from django.utils import timezone

    from insights import selectors as insights

    for username in ("hanne", "chef"):
        user = User.objects.get(username=username)
        scope = insights.scope_for(user)
        period = insights.default_period(timezone.localdate())
        rows, _counted = insights.dashboard(scope, period, scope.units[0], user.municipality_id)
        empty = [r.indicator.key for r in rows if r.total.value(r.indicator.kind) is None]
        assert not empty, (username, empty)
    before = _counts()
    call_command("demo", stdout=StringIO())
    call_command("demo", "--if-empty", stdout=StringIO())
    assert _counts() == before


def test_demo_is_not_loaded_into_a_database_with_real_municipalities(db):
    from accounts.models import Municipality

    Municipality.objects.create(code="101", name="København")
    out = StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert not Child.objects.exists()


def _snapshot():
    return list(
        Child.objects.order_by("cpr").values_list(
            "municipality__code", "cpr", "first_name", "last_name", "birth_date"
        )
    ), list(
        CaseworkerAssignment.objects.order_by("child__cpr", "started_at").values_list(
            "child__cpr", "caseworker__username", "started_at", "ended_at"
        )
    )


def _generate(seed):
    with transaction.atomic():
        call_command(
            "generate",
            children=300,
            municipalities=2,
            seed=seed,
            as_of=date(2026, 6, 1),
            stdout=StringIO(),
        )
        snapshot = _snapshot()
        counts = {
            "children": Child.objects.count(),
            "open responsible": CaseworkerAssignment.objects.filter(
                kind="responsible", ended_at__isnull=True
            ).count(),
        }
        transaction.set_rollback(True)
    return snapshot, counts


def test_generate_is_deterministic_and_gives_every_child_one_caseworker(db):
    first, counts = _generate(seed=7)
    again, _ = _generate(seed=7)
    other, _ = _generate(seed=8)
    assert first == again
    assert first != other
    assert counts == {"children": 300, "open responsible": 300}
    assert all(cpr for _m, cpr, *_ in first[0])
    assert timezone.localdate()  # generation never depends on the clock when --as-of is given


def test_generated_data_fills_every_indicator(db):
    from accounts.models import Role, User
    from insights import selectors as insights

    call_command("generate", children=400, seed=3, stdout=StringIO())
    head = User.objects.get(role=Role.HEAD_OF_DEPARTMENT)
    scope = insights.scope_for(head)
    period = insights.default_period(timezone.localdate())
    rows, _counted = insights.dashboard(scope, period, "team", head.municipality_id)
    empty = [r.indicator.key for r in rows if not r.total.counted]
    # No handovers and no turnover in the synthetic set; everything else is filled.
    assert set(empty) <= {"handovers_joint", "turnover"}, empty


def test_the_demo_keeps_the_products_own_rules(db):
    """Every demo record is one the product itself would have let a user make: every final
    decision passes the finality guard (§ 5, the child's view, readable for the child's age)
    and was made final through it, every notice lies between the decision and today, every
    record passes its model's validation and the decision form, and the due lists never ask
    for a conversation before a decision that is already final."""
    from django.forms.models import model_to_dict
    from django.utils import timezone

    from cases.models import Decision
    from conversations.models import ConversationKind
    from conversations.rules import due_conversations
    from core.models import KeptRecord
    from plans.forms import ChildsViewForm
    from plans.models import DecisionNotice
    from plans.rules import plans_due
    from plans.services import finality_problems

    call_command("demo", stdout=StringIO())
    demo = Decision.objects.filter(case__child__municipality__code="265")
    finals = list(demo.filter(finalised_at__isnull=False).select_related("case__child"))
    assert len(finals) >= 30 and demo.filter(finalised_at__isnull=True).exists()
    for decision in finals:
        assert finality_problems(decision) == [], (decision, finality_problems(decision))
        assert decision.history.filter(history_change_reason="made final").exists(), decision
        fields = ChildsViewForm._meta.fields
        form = ChildsViewForm(data=model_to_dict(decision, fields=fields), instance=decision)
        assert form.is_valid(), (decision, form.errors)
    today = timezone.localdate()
    for notice in DecisionNotice.objects.select_related("decision"):
        assert notice.decision.decided_on <= notice.told_on <= today, notice
    from django.apps import apps

    for model in apps.get_models():
        if issubclass(model, KeptRecord):
            for record in model.all_objects.all():
                record.full_clean()
    child_ids = list(Child.objects.values_list("pk", flat=True))
    final_ids = {decision.pk for decision in finals}
    for dues in due_conversations(child_ids).values():
        for due in dues:
            if due.kind == ConversationKind.BEFORE_DECISION:
                assert due.decision_id not in final_ids, due
    assert plans_due(child_ids)  # some placements still wait for their plan, as in practice
    # The decision the demo shows off: final, heard before, the child told, the wish answered.
    shown = demo.get(subject="Bevilling: mere samvær med mormor")
    assert shown.is_final and shown.complaint_deadline() and shown.wish_answers.exists()
