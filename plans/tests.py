"""The child's view in decisions: the finality guard at its boundaries, the child's own rights
from 10, "you said – we did", open wishes, complaints."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.models import Decision
from conftest import make_child, make_conversation
from conversations import services as conversation_services
from conversations.models import Wish
from plans import selectors, services
from plans.models import Complaint

EASY = "Du skal have en kontaktperson. Det er en voksen, du kan tale med hver uge."


def _decision(child, caseworker, **extra):
    return case_services.decision_add(
        actor=caseworker,
        child=child,
        decided_on=extra.pop("decided_on", timezone.localdate()),
        subject="Kontaktperson",
    )


def _view(decision, caseworker, **extra):
    fields = {
        "childs_view": "Emma vil gerne have en voksen at tale med.",
        "how_weighed": "Emmas ønske vejede tungt og afgjorde valget.",
        "differs_from_wish": False,
        "why_differs": "",
        "explanation_for_child": EASY,
    }
    fields.update(extra)
    return services.decision_record_childs_view(actor=caseworker, decision=decision, **fields)


def test_a_decision_cannot_be_final_without_a_conversation(child, caseworker):
    decision = _view(_decision(child, caseworker), caseworker)
    with pytest.raises(ValidationError) as error:
        services.decision_make_final(actor=caseworker, decision=decision)
    assert "§ 5" in str(error.value)
    decision.refresh_from_db()
    assert not decision.is_final


def test_a_held_conversation_before_it_allows_finality(child, caseworker):
    decision = _view(_decision(child, caseworker), caseworker)
    make_conversation(child, caseworker, kind="before_decision", decision=decision)
    final = services.decision_make_final(actor=caseworker, decision=decision)
    assert final.is_final
    with pytest.raises(ValidationError):
        services.decision_make_final(actor=caseworker, decision=final)


def test_a_recorded_lawful_reason_allows_finality(child, caseworker):
    decision = _view(_decision(child, caseworker), caseworker)
    conversation = conversation_services.conversation_plan(
        actor=caseworker,
        child=child,
        kind="before_decision",
        planned_at=timezone.now(),
        place="Skolen",
        decision=decision,
    )
    conversation_services.conversation_mark_not_held(
        actor=caseworker, conversation=conversation, reason="child_refused"
    )
    assert services.decision_make_final(actor=caseworker, decision=decision).is_final


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"childs_view": ""}, "child's view"),
        ({"how_weighed": ""}, "weighed"),
        ({"differs_from_wish": True}, "differs"),
        ({"explanation_for_child": ""}, "explanation"),
        (
            {
                "explanation_for_child": "Kommunalbestyrelsens myndighedsudøvelse forudsætter "
                "dokumentationsmæssige vurderinger af foranstaltningernes hensigtsmæssighed."
            },
            "too hard",
        ),
    ],
)
def test_every_missing_part_of_the_childs_view_is_named(child, caseworker, changes, problem):
    from django.utils import translation

    decision = _decision(child, caseworker)
    make_conversation(child, caseworker, kind="before_decision", decision=decision)
    decision = _view(decision, caseworker, **changes)
    with translation.override("en"):
        problems = services.finality_problems(decision)
    assert len(problems) == 1 and problem in problems[0]


@pytest.mark.parametrize(("age_days", "party"), [(10 * 365 + 2, True), (10 * 365 - 5, False)])
def test_the_child_is_a_party_from_10(municipality, caseworker, age_days, party):
    child = make_child(
        municipality, caseworker, birth=timezone.localdate() - timedelta(days=age_days), serial=70
    )
    decision = _decision(child, caseworker)
    assert decision.child_is_party() is party


def _form_fields(html: str, action: str) -> dict:
    """The names and values of the form the page offers at this action."""
    import re

    start = html.index(f'action="{action}"')
    form = html[start : html.index("</form>", start)]
    fields = {}
    for name in re.findall(r'<(?:input|select|textarea)[^>]*name="([^"]+)"', form):
        value = re.search(rf'name="{name}"[^>]*value="([^"]*)"', form)
        fields[name] = value.group(1) if value else ""
    return fields


def test_the_complaint_deadline_runs_from_the_day_the_child_was_told(
    child, caseworker, client_for, settings
):
    """Retssikkerhedsloven § 67, stk. 1 — the issue's example: decided 3 November, told
    2 December, so the child may complain until 30 December (not 1 December)."""
    settings.STEMME_COMPLAINT_WEEKS = 4
    decision = _decision(child, caseworker, decided_on=date(2026, 11, 3))
    client = client_for(caseworker)
    url = reverse("plans:decision", args=[child.pk, decision.pk])
    html = client.get(url).content.decode()
    assert "1. december 2026" not in html and "ikke fået besked endnu" in html
    action = reverse("plans:decision_notice", args=[child.pk, decision.pk])
    fields = _form_fields(html, action)
    assert {"custody_holder", "told_on", "told_how"} <= set(fields)
    fields.update({"custody_holder": "", "told_on": "2026-12-02", "told_how": "Ved besøg"})
    assert client.post(action, fields).status_code == 302
    decision.refresh_from_db()
    assert decision.complaint_deadline() == date(2026, 12, 30)
    assert "30. december 2026" in client.get(url).content.decode()
    # The last day is still in time; the day after is not.
    assert decision.complaint_open(date(2026, 12, 30))
    assert not decision.complaint_open(date(2026, 12, 31))
    pdf = _pdf_text(client.get(reverse("plans:decision_pdf", args=[child.pk, decision.pk])).content)
    assert "30. december 2026" in pdf


def test_each_custody_holder_has_their_own_deadline(child, caseworker, client_for):
    decision = _decision(child, caseworker, decided_on=date(2026, 11, 3))
    mother = case_services.network_member_add(
        actor=caseworker, child=child, name="Mor Jensen", relation="parent", holds_custody=True
    )
    neighbour = case_services.network_member_add(
        actor=caseworker, child=child, name="Nabo", relation="other", holds_custody=False
    )
    client = client_for(caseworker)
    action = reverse("plans:decision_notice", args=[child.pk, decision.pk])
    told = {"custody_holder": mother.pk, "told_on": "2026-11-10", "told_how": "Brev"}
    assert client.post(action, told).status_code == 302
    refused = client.post(action, {**told, "custody_holder": neighbour.pk})
    assert refused.status_code == 400
    page = client.get(reverse("plans:decision", args=[child.pk, decision.pk])).content.decode()
    assert "Mor Jensen" in page and "8.12.2026" in page  # 10 November + 4 weeks
    decision.refresh_from_db()
    assert decision.complaint_deadline() is None  # the child has not been told
    # A corrected date keeps the history of the first.
    client.post(action, {**told, "told_on": "2026-11-12"})
    notice = decision.notices.get(custody_holder=mother)
    assert notice.complaint_deadline() == date(2026, 12, 10)
    assert [h.told_on for h in notice.history.order_by("history_date")] == [
        date(2026, 11, 10),
        date(2026, 11, 12),
    ]


@pytest.mark.parametrize(
    ("told_on", "error"),
    [
        (date(2026, 11, 2), "før den blev truffet"),
        (timezone.localdate() + timedelta(days=1), "fremtiden"),
    ],
)
def test_nobody_is_told_before_the_decision_or_in_the_future(
    child, caseworker, client_for, told_on, error
):
    decision = _decision(child, caseworker, decided_on=date(2026, 11, 3))
    response = client_for(caseworker).post(
        reverse("plans:decision_notice", args=[child.pk, decision.pk]),
        {"custody_holder": "", "told_on": told_on.isoformat(), "told_how": "Brev"},
    )
    assert response.status_code == 400 and error in response.content.decode()
    assert not decision.notices.exists()


def test_no_complaint_guidance_for_a_child_under_ten(municipality, caseworker, client_for):
    small = make_child(
        municipality, caseworker, birth=timezone.localdate() - timedelta(days=7 * 365), serial=71
    )
    decision = _decision(small, caseworker)
    html = (
        client_for(caseworker)
        .get(reverse("plans:decision", args=[small.pk, decision.pk]))
        .content.decode()
    )
    assert "forvaltningsloven § 9" not in html


def test_the_guard_through_the_page_shows_why(child, caseworker, client_for):
    decision = _view(_decision(child, caseworker), caseworker)
    client = client_for(caseworker)
    response = client.post(reverse("plans:make_final", args=[child.pk, decision.pk]), follow=True)
    assert "§ 5" in response.content.decode()
    decision.refresh_from_db()
    assert not decision.is_final


def test_you_said_we_did_and_open_wishes(child, caseworker, client_for):
    make_conversation(child, caseworker)
    wish = Wish.objects.get()
    decision = _decision(child, caseworker)
    client = client_for(caseworker)
    page = client.get(reverse("cases:child", args=[child.pk]))
    assert page.context["open_wishes"] == [wish]
    url = reverse("plans:answer_wish", args=[child.pk, wish.pk])
    too_short = client.post(url, {"outcome": "not_done", "answer_to_child": "Nej."})
    assert too_short.status_code == 200 and too_short.context["form"].errors
    client.post(
        url,
        {
            "outcome": "done",
            "answer_to_child": "Du får besøg hos mor hver weekend.",
            "decision": decision.pk,
        },
    )
    assert list(selectors.open_wishes(child)) == []
    answer = decision.wish_answers.get()
    assert answer.wish == wish and answer.created_by == caseworker


def test_complaints_are_recorded_and_closed_with_their_outcome(child, caseworker, client_for):
    client = client_for(caseworker)
    decision = _decision(child, caseworker)
    client.post(
        reverse("plans:complaint_new", args=[child.pk]),
        {
            "received_on": timezone.localdate().isoformat(),
            "complainant": "child",
            "decision": decision.pk,
            "summary": "Jeg vil ikke flytte.",
            "outcome": "pending",
        },
    )
    complaint = Complaint.objects.get()
    assert complaint.decision == decision and complaint.closed_on is None
    client.post(
        reverse("plans:complaint", args=[child.pk, complaint.pk]),
        {
            "received_on": complaint.received_on.isoformat(),
            "complainant": "child",
            "summary": "Jeg vil ikke flytte.",
            "handling": "Genvurderet med Emma",
            "outcome": "partly",
        },
    )
    complaint.refresh_from_db()
    assert complaint.outcome == "partly" and complaint.closed_on == timezone.localdate()


def test_complaints_counted_per_caseworker(child, caseworker, colleague):
    services.complaint_record(
        actor=caseworker,
        child=child,
        received_on=timezone.localdate(),
        complainant="child",
        summary="x",
    )
    assert selectors.complaints_per_caseworker([caseworker.pk, colleague.pk]) == {caseworker.pk: 1}


# --- The child's plan


def _plan(child, caseworker, **extra):
    return services.plan_create(
        actor=caseworker,
        child=child,
        next_review_on=timezone.localdate() + timedelta(days=90),
        **extra,
    )


@pytest.mark.parametrize(("years", "kind"), [(15, "child"), (16, "youth")])
def test_the_plan_is_a_youth_plan_from_16(municipality, caseworker, years, kind):
    today = timezone.localdate()
    born = date(today.year - years, today.month, today.day) - timedelta(days=1)
    child = make_child(municipality, caseworker, birth=born, serial=80)
    assert _plan(child, caseworker).kind == kind


def test_plan_due_three_months_after_a_decision_on_a_measure(child, caseworker):
    from core.dates import add_months
    from plans.rules import plans_due

    measure = case_services.measure_add(
        actor=caseworker, child=child, kind="foster_care", started_on=timezone.localdate()
    )
    decided = timezone.localdate() - timedelta(days=10)
    case_services.decision_add(
        actor=caseworker, child=child, decided_on=decided, subject="Anbringelse", measure=measure
    )
    [due] = plans_due([child.pk])[child.pk]
    assert (
        due.due_on == add_months(decided, 3)
        and due.mandatory
        and due.reference == "Barnets lov § 91"
    )
    plan = _plan(child, caseworker)
    services.goal_add(
        actor=caseworker,
        plan=plan,
        childs_words="Jeg vil gå til fodbold",
        professional_goal="Fritidsaktivitet",
        target_date=timezone.localdate() + timedelta(days=60),
    )
    services.plan_save_for_child(actor=caseworker, plan=plan, text=EASY)
    services.plan_adopt(actor=caseworker, plan=plan, adopted_on=timezone.localdate())
    assert plans_due([child.pk]).get(child.pk, []) == []


def test_plan_before_the_decision_for_a_placement_without_consent(child, caseworker):
    from plans.rules import plans_due

    measure = case_services.measure_add(
        actor=caseworker, child=child, kind="institution", started_on=timezone.localdate()
    )
    decided = timezone.localdate() + timedelta(days=5)
    case_services.decision_add(
        actor=caseworker,
        child=child,
        decided_on=decided,
        subject="Anbringelse",
        measure=measure,
        without_consent=True,
    )
    [due] = plans_due([child.pk])[child.pk]
    assert (
        due.due_on == decided == Decision.plan_due_for(decided, True)
        and due.reference == "Barnets lov § 91, stk. 2"
    )


def test_goals_need_dates_and_the_childs_words(child, caseworker, client_for):
    plan = _plan(child, caseworker)
    client = client_for(caseworker)
    url = reverse("plans:plan_part", args=[child.pk, plan.pk, "goal"])
    response = client.post(
        url, {"goal-childs_words": "Mere tid med mor", "goal-professional_goal": "Samvær"}
    )
    assert response.status_code == 200 and response.context["goal_form"].errors["target_date"]
    assert "Mere tid med mor" in response.content.decode()  # nothing typed is lost
    assert not plan.goals.exists()


def test_a_plan_cannot_be_adopted_without_goals_or_the_childs_version(child, caseworker):
    plan = _plan(child, caseworker)
    with pytest.raises(ValidationError) as error:
        services.plan_adopt(actor=caseworker, plan=plan, adopted_on=timezone.localdate())
    assert len(error.value.messages) == 2


def test_the_childs_version_is_readability_checked(child, caseworker):
    plan = _plan(child, caseworker)
    hard = "Kommunalbestyrelsens myndighedsudøvelse forudsætter dokumentationsmæssige vurderinger."
    with pytest.raises(ValidationError):
        services.plan_save_for_child(actor=caseworker, plan=plan, text=hard)
    assert (
        services.plan_save_for_child(actor=caseworker, plan=plan, text=EASY).version_for_child
        == EASY
    )


def test_the_child_agrees_or_says_why_not(child, caseworker):
    plan = _plan(child, caseworker)
    with pytest.raises(ValidationError):
        services.plan_record_child_response(actor=caseworker, plan=plan, agrees=False)
    plan = services.plan_record_child_response(
        actor=caseworker, plan=plan, agrees=False, because="Jeg vil hellere bo hos mor"
    )
    assert (
        plan.child_agrees is False and plan.child_disagrees_because == "Jeg vil hellere bo hos mor"
    )


def _pdf_text(content: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_plan_pdf_holds_the_childs_words(child, caseworker, client_for):
    plan = _plan(child, caseworker)
    services.goal_add(
        actor=caseworker,
        plan=plan,
        childs_words="Jeg vil gå til fodbold",
        professional_goal="Fritidsaktivitet",
        target_date=timezone.localdate() + timedelta(days=60),
    )
    services.plan_save_for_child(actor=caseworker, plan=plan, text=EASY)
    response = client_for(caseworker).get(reverse("plans:plan_pdf", args=[child.pk, plan.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "Jeg vil gå til fodbold" in text and "Roskilde Kommune" in text and "Emma Jensen" in text
    from audit.models import AccessEvent

    assert AccessEvent.objects.filter(action="export", record=f"plan:{plan.pk}").exists()


def test_the_decision_pdf_carries_the_childs_view_and_complaint_guidance(
    child, caseworker, client_for
):
    decision = _view(_decision(child, caseworker), caseworker)
    response = client_for(caseworker).get(
        reverse("plans:decision_pdf", args=[child.pk, decision.pk])
    )
    text = _pdf_text(response.content)
    assert "Emma vil gerne have en voksen at tale med." in text
    assert "forvaltningsloven § 9" in text  # Emma is 12: her own rights are in the letter


def test_a_statement_in_the_childs_words_can_be_answered_too(child, caseworker, client_for):
    from conversations.models import Statement

    make_conversation(child, caseworker)
    statement = Statement.objects.get()
    decision = _decision(child, caseworker)
    client = client_for(caseworker)
    response = client.post(
        reverse("plans:answer_statement", args=[child.pk, statement.pk]),
        {
            "outcome": "partly",
            "answer_to_child": "Du kan bo hos mor i weekenderne.",
            "decision": decision.pk,
        },
    )
    assert response.status_code == 302
    answer = decision.wish_answers.get()
    assert answer.statement == statement and answer.wish is None
    assert answer.what_the_child_said == "Jeg vil bo hos mor."
    with pytest.raises(ValidationError):
        services.wish_answer(actor=caseworker, outcome="done", answer_to_child="Ja, det gør vi.")


def _at_noon(day):
    return timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 12, 0))


@pytest.mark.parametrize(("held_days_after", "counts"), [(0, True), (1, False), (5, False)])
def test_only_a_conversation_on_or_before_the_decision_date_counts_as_before_it(
    child, caseworker, held_days_after, counts
):
    """Barnets lov § 5: a conversation linked to the decision but held after it is not one
    before it; one held on the decision day is."""
    decided_on = timezone.localdate() - timedelta(days=10)
    decision = _view(_decision(child, caseworker, decided_on=decided_on), caseworker)
    make_conversation(
        child,
        caseworker,
        kind="before_decision",
        decision=decision,
        planned_at=_at_noon(decided_on + timedelta(days=held_days_after)),
    )
    problems = services.finality_problems(decision)
    assert any("§ 5" in problem for problem in problems) is not counts


def _final(child, caseworker, decided_on=None):
    """A decision made final the way a caseworker does: the child's view, a conversation on
    the day, the guard."""
    decided_on = decided_on or timezone.localdate() - timedelta(days=3)
    decision = _view(_decision(child, caseworker, decided_on=decided_on), caseworker)
    make_conversation(
        child,
        caseworker,
        kind="before_decision",
        decision=decision,
        planned_at=_at_noon(decided_on),
    )
    return services.decision_make_final(actor=caseworker, decision=decision)


def _unchanged(decision):
    before = Decision.objects.get(pk=decision.pk)
    return (before.decided_on, before.subject, before.is_final, before.removed_at)


def test_a_final_decision_is_not_changed_through_the_course_form(child, caseworker, client_for):
    """The "edit" link is gone for a final decision, its page sends the caseworker to the
    decision's page, and a forged post is refused by the service."""
    final = _final(child, caseworker)
    draft = _decision(child, caseworker)
    client = client_for(caseworker)
    page = client.get(reverse("cases:child", args=[child.pk])).content.decode()
    assert reverse("cases:course_edit", args=[child.pk, "decision", draft.pk]) in page
    edit = reverse("cases:course_edit", args=[child.pk, "decision", final.pk])
    assert edit not in page
    offered = client.get(edit)
    assert offered.status_code == 302
    assert offered["Location"] == reverse("plans:decision", args=[child.pk, final.pk])
    kept = _unchanged(final)
    forged = client.post(edit, {"decided_on": "2026-01-05", "subject": "Noget andet"})
    assert forged.status_code == 200 and "kan ikke ændres" in forged.content.decode()
    assert _unchanged(final) == kept
    removal = reverse("cases:remove", args=[child.pk, "decision", final.pk])
    refused = client.post(removal, {"reason": "Forkert dato"})
    assert refused.status_code == 200 and _unchanged(final) == kept


def test_a_final_decision_is_not_changed_by_the_service_from_a_stale_page(child, caseworker):
    decision = _view(_decision(child, caseworker), caseworker)
    stale = Decision.objects.get(pk=decision.pk)  # loaded while still a draft
    make_conversation(child, caseworker, kind="before_decision", decision=decision)
    services.decision_make_final(actor=caseworker, decision=decision)
    with pytest.raises(ValidationError):
        case_services.course_entry_update(actor=caseworker, entry=stale, subject="Noget andet")
    with pytest.raises(ValidationError):
        services.decision_record_childs_view(actor=caseworker, decision=stale, childs_view="x")
    assert Decision.objects.get(pk=decision.pk).subject == "Kontaktperson"


def test_the_admin_offers_no_way_to_change_a_decision(child, caseworker, administrator, client_for):
    final = _final(child, caseworker)
    client = client_for(administrator)
    assert client.get("/admin/").status_code == 200
    assert client.get(f"/admin/cases/decision/{final.pk}/change/").status_code == 404


def test_a_correction_replaces_a_final_decision_and_both_are_kept(child, caseworker, client_for):
    final = _final(child, caseworker, decided_on=timezone.localdate() - timedelta(days=3))
    client = client_for(caseworker)
    url = reverse("plans:decision", args=[child.pk, final.pk])
    action = reverse("plans:decision_correct", args=[child.pk, final.pk])
    fields = _form_fields(client.get(url).content.decode(), action)
    assert {"decided_on", "subject", "reason"} <= set(fields)
    without_reason = client.post(action, {**fields, "subject": "Kontaktperson to gange om ugen"})
    assert without_reason.status_code == 400 and not Decision.objects.filter(replaces=final)
    response = client.post(
        action,
        {**fields, "subject": "Kontaktperson to gange om ugen", "reason": "Forkert omfang"},
    )
    new = Decision.objects.get(replaces=final)
    assert response["Location"] == reverse("plans:decision", args=[child.pk, new.pk])
    assert not new.is_final and new.correction_reason == "Forkert omfang"
    assert new.childs_view == final.childs_view  # the child's view is carried over
    final.refresh_from_db()
    assert final.is_final and final.subject == "Kontaktperson"  # the old one is kept as it was
    # The conversation before the replaced decision still counts; the guard holds as ever.
    assert services.finality_problems(new) == []
    services.decision_make_final(actor=caseworker, decision=new)
    child_page = client.get(reverse("cases:child", args=[child.pk])).content.decode()
    assert "erstattet" in child_page
    assert "erstattet" in client.get(url).content.decode()
    again = client.post(action, {**fields, "reason": "Igen"})
    assert again.status_code == 400 and Decision.objects.filter(replaces=final).count() == 1
    draft = _decision(child, caseworker)
    not_final = client.post(
        reverse("plans:decision_correct", args=[child.pk, draft.pk]), {**fields, "reason": "x"}
    )
    assert not_final.status_code == 400


@pytest.mark.parametrize(("told_days_ago", "offered"), [(None, True), (28, True), (29, False)])
def test_the_portal_offers_the_complaint_from_the_day_the_child_was_told(
    child, caseworker, told_days_ago, offered
):
    """Before the child is told, the portal says so (and takes a complaint); once told, the
    deadline is 4 weeks from that day: the last day is offered, the day after is not."""
    from conftest import make_portal_child

    today = timezone.localdate()
    final = _final(child, caseworker, decided_on=today - timedelta(days=40))
    if told_days_ago is not None:
        services.decision_notice_record(
            actor=caseworker,
            decision=final,
            told_on=today - timedelta(days=told_days_ago),
            told_how="Ved besøg",
        )
    _access, _code, client = make_portal_child(child, caseworker)
    plan = client.get(reverse("portal:plan")).content.decode()
    assert ("ikke fortalt dig om afgørelsen endnu" in plan) is (told_days_ago is None)
    assert ("Du kan klage over det indtil" in plan) is (told_days_ago == 28)
    help_page = client.get(reverse("portal:help")).content.decode()
    assert (f'value="{final.pk}"' in help_page) is offered
