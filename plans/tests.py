"""The child's view in decisions: the finality guard at its boundaries, the child's own rights
from 10, "you said – we did", open wishes, complaints."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
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
        "child_told_on": None,
        "child_told_how": "",
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


def test_complaint_guidance_with_the_deadline_for_a_child_of_ten(
    child, caseworker, client_for, settings
):
    decision = _decision(child, caseworker, decided_on=date(2026, 11, 2))
    page = client_for(caseworker).get(reverse("plans:decision", args=[child.pk, decision.pk]))
    html = page.content.decode()
    deadline = decision.decided_on + timedelta(weeks=settings.STEMME_COMPLAINT_WEEKS)
    assert deadline == date(2026, 11, 30)
    assert "30. november 2026" in html and "§ 141" in html


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
    assert "§ 141" not in html


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
