"""One fixed caseworker, handovers with overlap, continuity and caseload."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Role
from conftest import make_child, make_user
from continuity import services
from continuity.models import AssignmentKind, CaseworkerAssignment, HandoverStatus
from continuity.selectors import caseload, caseworker_count


def test_database_refuses_a_second_responsible_caseworker(child, colleague):
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseworkerAssignment.objects.create(
            child=child,
            caseworker=colleague,
            kind=AssignmentKind.RESPONSIBLE,
            started_at=timezone.now(),
        )


def test_service_refuses_a_second_caseworker_without_handover(child, caseworker, colleague):
    with pytest.raises(ValidationError):
        services.assignment_start_responsible(actor=caseworker, child=child, caseworker=colleague)


def test_caseworker_must_belong_to_the_childs_municipality(child, caseworker, foreign_caseworker):
    with pytest.raises(ValidationError):
        services.handover_start(
            actor=caseworker,
            child=child,
            to_caseworker=foreign_caseworker,
            overlap_until=timezone.localdate(),
        )


def _start(child, caseworker, colleague, **extra):
    return services.handover_start(
        actor=caseworker,
        child=child,
        to_caseworker=colleague,
        overlap_until=timezone.localdate() + timedelta(days=14),
        **extra,
    )


def test_handover_attaches_both_during_the_overlap(child, caseworker, colleague):
    handover = _start(child, caseworker, colleague)
    open_assignments = child.assignments.filter(ended_at__isnull=True)
    assert {(a.caseworker, a.kind) for a in open_assignments} == {
        (caseworker, AssignmentKind.RESPONSIBLE),
        (colleague, AssignmentKind.OVERLAP),
    }
    assert handover.is_under_way


def test_handover_cannot_complete_before_note_meeting_and_child_told(child, caseworker, colleague):
    handover = _start(child, caseworker, colleague)
    with pytest.raises(ValidationError) as error, translation.override("en"):
        services.handover_complete(actor=caseworker, handover=handover)
    assert "handover note" in str(error.value)
    assert child.assignments.get(kind="responsible", ended_at__isnull=True).caseworker == caseworker


def test_completed_handover_makes_the_new_caseworker_the_only_responsible(
    child, caseworker, colleague
):
    handover = _start(child, caseworker, colleague, note="Emma likes walks.")
    services.handover_update(
        actor=caseworker,
        handover=handover,
        note="Emma likes walks.",
        joint_meeting_at=timezone.now() + timedelta(days=2),
        joint_meeting_place="School",
        child_informed_on=timezone.localdate(),
        child_informed_how="Told at home with a photo",
    )
    services.handover_complete(actor=caseworker, handover=handover)
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.COMPLETED
    open_assignments = list(child.assignments.filter(ended_at__isnull=True))
    assert [(a.caseworker, a.kind) for a in open_assignments] == [
        (colleague, AssignmentKind.RESPONSIBLE)
    ]
    # The history is kept: both caseworkers' periods are there.
    assert child.assignments.filter(kind="responsible").count() == 2
    assert caseworker_count(child) == 2
    assert caseload(caseworker) == 0 and caseload(colleague) == 1


def test_cancelled_handover_detaches_the_incoming_caseworker(child, caseworker, colleague):
    handover = _start(child, caseworker, colleague)
    with pytest.raises(ValidationError):
        services.handover_cancel(actor=caseworker, handover=handover, reason="  ")
    services.handover_cancel(actor=caseworker, handover=handover, reason="Colleague on leave")
    assert [a.caseworker for a in child.assignments.filter(ended_at__isnull=True)] == [caseworker]
    assert handover.history.first().history_change_reason == "Colleague on leave"


def test_only_one_handover_under_way(child, caseworker, colleague, west_caseworker):
    _start(child, caseworker, colleague)
    with pytest.raises(ValidationError):
        _start(child, caseworker, west_caseworker)


def test_handover_flow_through_the_pages(child, caseworker, colleague, client_for):
    client = client_for(caseworker)
    response = client.post(
        reverse("continuity:handover_start", args=[child.pk]),
        {"to_caseworker": colleague.pk, "overlap_until": "", "note": ""},
    )
    assert response.status_code == 200 and "overlap_until" in response.context["form"].errors
    today = timezone.localdate()
    response = client.post(
        reverse("continuity:handover_start", args=[child.pk]),
        {
            "to_caseworker": colleague.pk,
            "overlap_until": (today + timedelta(days=7)).isoformat(),
            "note": "Emma wants to meet at school.",
            "joint_meeting_at": f"{today + timedelta(days=3)}T10:00",
            "joint_meeting_place": "School",
        },
    )
    handover = child.handovers.get()
    url = reverse("continuity:handover", args=[child.pk, handover.pk])
    assert response.status_code == 302 and response["Location"] == url
    complete = reverse("continuity:handover_complete", args=[child.pk, handover.pk])
    response = client.post(complete, follow=True)
    assert child.handovers.get().is_under_way
    with translation.override("da"):
        missing_step = translation.gettext("record that the child has been told")
    assert any(missing_step in str(m) for m in response.context["messages"])
    client.post(
        url,
        {
            "note": "Emma wants to meet at school.",
            "joint_meeting_at": f"{today + timedelta(days=3)}T10:00",
            "joint_meeting_place": "School",
            "child_informed_on": today.isoformat(),
            "child_informed_how": "Phone call",
        },
    )
    response = client.post(complete)
    assert response.status_code == 302
    assert child.assignments.get(kind="responsible", ended_at__isnull=True).caseworker == colleague


def test_incoming_caseworker_may_update_but_not_complete(child, caseworker, colleague, client_for):
    handover = _start(child, caseworker, colleague)
    client = client_for(colleague)
    complete = reverse("continuity:handover_complete", args=[child.pk, handover.pk])
    assert client.post(complete).status_code == 403
    page = client.get(reverse("continuity:handover", args=[child.pk, handover.pk]))
    assert page.status_code == 200 and page.context["may_update"]


def test_colleague_cannot_start_a_handover_for_a_child_they_only_overlap(
    child, caseworker, colleague, west_caseworker, client_for
):
    _start(child, caseworker, colleague)
    response = client_for(colleague).get(reverse("continuity:handover_start", args=[child.pk]))
    assert response.status_code == 403


@override_settings(STEMME_CASELOAD_THRESHOLD=2)
def test_team_page_shows_caseload_against_threshold_and_continuity(
    municipality, team, child, caseworker, colleague, team_leader, client_for
):
    for serial in (5, 6):
        make_child(municipality, caseworker, serial=serial)
    handover = _start(child, caseworker, colleague)
    response = client_for(team_leader).get(reverse("continuity:team"))
    assert response.status_code == 200
    members = {m.username: m for m in response.context["members"]}
    assert members["rikke"].caseload == 3 and members["rikke"].over_threshold
    assert members["jonas"].caseload == 0 and not members["jonas"].over_threshold
    assert response.context["handovers"] == [handover]
    assert (
        "over the threshold" in response.content.decode()
        or "over grænsen" in response.content.decode()
    )


def test_team_page_query_count_does_not_grow_with_the_team(
    municipality, team, caseworker, team_leader, client_for, django_assert_max_num_queries
):
    client = client_for(team_leader)
    for i in range(3):
        worker = make_user(f"cw{i}", Role.CASEWORKER, municipality, team)
        for serial in range(3):
            make_child(municipality, worker, serial=i * 10 + serial + 20)
    with django_assert_max_num_queries(28) as captured:
        client.get(reverse("continuity:team"))
    small = len(captured.captured_queries)
    for i in range(3, 8):
        worker = make_user(f"cw{i}", Role.CASEWORKER, municipality, team)
        for serial in range(3):
            make_child(municipality, worker, serial=i * 10 + serial + 20)
    with django_assert_max_num_queries(small):
        client.get(reverse("continuity:team"))


def test_team_page_shows_life_book_contributors_behind(
    child, team_leader, foster_carer, client_for
):
    child.contributor_links.update(started_on=timezone.localdate() - timedelta(days=90))
    behind = client_for(team_leader).get(reverse("continuity:team")).context["contributors_behind"]
    assert [b.contributor for b in behind] == [foster_carer]
