"""Children, CPR numbers, the case's course, nothing hard-deleted, and the two main pages."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.cpr import make_cpr, parse_cpr
from cases.models import Assessment, Child, FollowUp, Measure, MeasureKind, NetworkMember
from conftest import make_child
from core.models import HardDeleteRefused


@pytest.mark.parametrize(
    ("cpr", "born"),
    [
        ("170514-4001", date(2014, 5, 17)),  # 7th digit 4, year <= 36: 2000s
        ("0101901234", date(1990, 1, 1)),  # 7th digit 1: 1900s
        ("010160-5678", date(1860, 1, 1)),  # 7th digit 5, year > 57: 1800s
        ("290208 9123", date(2008, 2, 29)),  # leap day, 7th digit 9
    ],
)
def test_cpr_gives_birth_date_and_century(cpr, born):
    assert parse_cpr(cpr).birth_date == born


@pytest.mark.parametrize(
    "cpr", ["", "12345", "17051440011", "abcdefghij", "320114-4001", "290209-4001"]
)
def test_invalid_cpr_gets_a_clear_message(cpr):
    with pytest.raises(ValidationError) as error:
        parse_cpr(cpr)
    assert "CPR" in str(error.value)


def test_cpr_masked_shows_only_the_birth_date():
    assert parse_cpr("1705144001").masked == "170514-xxxx"


def test_child_create_derives_birth_date_opens_case_and_assigns_caseworker(
    municipality, caseworker
):
    child = make_child(municipality, caseworker, birth=date(2012, 3, 1))
    assert child.birth_date == date(2012, 3, 1)
    assert child.cpr_is_fictitious
    assert child.cases.get().is_open
    assert child.assignments.get().caseworker == caseworker


def test_registering_a_child_through_the_page(municipality, caseworker, client_for):
    client = client_for(caseworker)
    data = {
        "cpr": "170514-4001",
        "first_name": "Alma",
        "last_name": "Skov",
        "caseworker": caseworker.pk,
        "cpr_is_fictitious": "on",
    }
    response = client.post(reverse("cases:child_create"), data)
    child = Child.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "cases:child", args=[child.pk]
    )
    # The same CPR twice: a clear message, nothing lost from the form.
    response = client.post(reverse("cases:child_create"), data)
    assert response.status_code == 200
    assert "cpr" in response.context["form"].errors
    assert response.context["form"].data["first_name"] == "Alma"


def test_bad_cpr_on_the_form_is_a_message_not_an_error(caseworker, client_for):
    response = client_for(caseworker).post(
        reverse("cases:child_create"),
        {"cpr": "991399-0000", "first_name": "A", "last_name": "B", "caseworker": caseworker.pk},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["cpr"]


def test_lists_never_show_the_full_cpr(child, caseworker, client_for):
    page = client_for(caseworker).get(reverse("cases:start")).content.decode()
    assert child.cpr_masked in page
    assert child.cpr not in page and child.cpr_formatted not in page


def test_age_is_derived_from_the_birth_date(municipality, caseworker):
    child = make_child(municipality, caseworker, birth=date(2010, 6, 15))
    assert child.age(on=date(2020, 6, 14)) == 9
    assert child.age(on=date(2020, 6, 15)) == 10


def test_records_are_never_hard_deleted(child):
    with pytest.raises(HardDeleteRefused):
        child.delete()
    with pytest.raises(HardDeleteRefused):
        Child.objects.all().delete()
    with pytest.raises(HardDeleteRefused):
        child.network.first().delete()


def test_removing_keeps_the_record_with_who_when_and_why(child, caseworker, client_for):
    member = child.network.get()
    client = client_for(caseworker)
    url = reverse("cases:remove", args=[child.pk, "network", member.pk])
    assert client.post(url, {"reason": ""}).status_code == 200  # a reason is required
    assert client.post(url, {"reason": "Registered twice"}).status_code == 302
    assert not NetworkMember.objects.filter(pk=member.pk).exists()
    kept = NetworkMember.all_objects.get(pk=member.pk)
    assert kept.removed_by == caseworker and kept.removed_reason == "Registered twice"
    history = client.get(reverse("cases:child_history", args=[child.pk]))
    assert "Registered twice" in history.content.decode()


def test_history_shows_who_changed_what(child, caseworker, client_for):
    member = child.network.get()
    client = client_for(caseworker)
    client.post(
        reverse("cases:network_edit", args=[child.pk, member.pk]),
        {
            "name": "Anne Jensen",
            "relation": "parent",
            "relation_detail": "mor",
            "phone": "12345678",
        },
    )
    changes = client.get(reverse("cases:child_history", args=[child.pk])).context["changes"]
    latest = changes[0]
    assert latest.who == str(caseworker)
    assert ("phone" in [f[0] for f in latest.fields]) or (
        "telefon" in [f[0] for f in latest.fields]
    )
    # holds_custody went from True to False: a changed field, before and after.
    assert any(old and new for _label, old, new in latest.fields)


def test_assessment_deadline_is_four_months_after_the_need_became_known(child, caseworker):
    assessment = services.assessment_add(
        actor=caseworker, child=child, need_known_on=date(2026, 10, 31)
    )
    assert assessment.deadline == date(2027, 2, 28)  # § 20: 4 months, clamped to month end
    assert assessment.is_overdue(today=date(2027, 3, 1))
    assert not assessment.is_overdue(today=date(2027, 2, 28))


def test_course_entries_through_the_pages(child, caseworker, client_for):
    client = client_for(caseworker)
    today = timezone.localdate()
    response = client.post(
        reverse("cases:course_add", args=[child.pk, "measure"]),
        {
            "kind": MeasureKind.FOSTER_CARE,
            "place": "Plejefamilien Holm",
            "started_on": today.isoformat(),
        },
    )
    assert response.status_code == 302
    measure = Measure.objects.get()
    # Ending a measure needs to say whether it was planned.
    response = client.post(
        reverse("cases:course_edit", args=[child.pk, "measure", measure.pk]),
        {"kind": measure.kind, "started_on": today.isoformat(), "ended_on": today.isoformat()},
    )
    assert response.status_code == 200 and "end_kind" in response.context["form"].errors
    response = client.post(reverse("cases:course_add", args=[child.pk, "unknown"]), {"x": "y"})
    assert response.status_code == 404


@pytest.mark.parametrize("bad", ["1066-10-14", "2999-01-01", "not-a-date", "2026-02-30"])
def test_impossible_dates_get_a_clear_message(child, caseworker, client_for, bad):
    response = client_for(caseworker).post(
        reverse("cases:course_add", args=[child.pk, "follow_up"]), {"due_on": bad}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["due_on"]
    assert not FollowUp.objects.exists()


def test_start_page_shows_what_is_due(child, caseworker, client_for):
    today = timezone.localdate()
    services.assessment_add(
        actor=caseworker, child=child, need_known_on=today - timedelta(days=130)
    )
    services.follow_up_add(actor=caseworker, child=child, due_on=today + timedelta(days=5))
    response = client_for(caseworker).get(reverse("cases:start"))
    due = response.context["due"]
    assert len(due["assessments"]) == 1 and due["assessments"][0].is_overdue()
    assert len(due["follow_ups"]) == 1
    assert response.context["caseload"] == 1


def test_start_page_search_answers_htmx_with_the_list_only(child, caseworker, client_for):
    client = client_for(caseworker)
    response = client.get(reverse("cases:start"), {"q": "emm"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'id="child-list"' in html and "<html" not in html and "Emmy" in html
    response = client.get(reverse("cases:start"), {"q": "zzz"}, HTTP_HX_REQUEST="true")
    assert "Emmy" not in response.content.decode()


def _fill(municipality, caseworker, n, start_serial):
    for i in range(n):
        child = make_child(
            municipality,
            caseworker,
            serial=start_serial + i,
            birth=date(2012, 1, 1) + timedelta(days=i),
        )
        services.assessment_add(
            actor=caseworker, child=child, need_known_on=timezone.localdate() - timedelta(days=100)
        )
        services.follow_up_add(actor=caseworker, child=child, due_on=timezone.localdate())


def test_start_page_query_count_does_not_grow_with_children(
    municipality, caseworker, client_for, django_assert_max_num_queries
):
    client = client_for(caseworker)
    _fill(municipality, caseworker, 2, 100)
    with django_assert_max_num_queries(32) as small:
        client.get(reverse("cases:start"))
    _fill(municipality, caseworker, 15, 200)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("cases:start"))
    assert len(response.context["children"]) == 17


def test_child_page_query_count_does_not_grow_with_the_record(
    child, caseworker, colleague, client_for, django_assert_max_num_queries
):
    client = client_for(caseworker)
    url = reverse("cases:child", args=[child.pk])
    with django_assert_max_num_queries(48) as small:
        client.get(url)
    today = timezone.localdate()
    for i in range(8):
        services.network_member_add(actor=caseworker, child=child, name=f"P{i}", relation="other")
        services.measure_add(actor=caseworker, child=child, kind="family_support", started_on=today)
        services.decision_add(actor=caseworker, child=child, decided_on=today, subject=f"D{i}")
        services.follow_up_add(actor=caseworker, child=child, due_on=today)
        services.concern_report_add(actor=caseworker, child=child, received_on=today)
        services.assessment_add(actor=caseworker, child=child, need_known_on=today)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert len(response.context["network"]) == 9


def test_removed_assessment_no_longer_counts_as_due(child, caseworker):
    assessment = services.assessment_add(
        actor=caseworker, child=child, need_known_on=timezone.localdate() - timedelta(days=200)
    )
    from core.services import record_remove

    record_remove(record=assessment, actor=caseworker, reason="Entered by mistake")
    assert not Assessment.objects.exists() and Assessment.all_objects.count() == 1


def test_make_cpr_round_trips():
    assert parse_cpr(make_cpr(date(2015, 12, 24), 7)).birth_date == date(2015, 12, 24)
