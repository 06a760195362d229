"""The indicators against small hand-computed data sets, with their boundaries; the dashboards
per role; the CSV; and a constant number of queries."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Decision
from cases.services import current_case
from conftest import answer_feedback, make_child
from conversations.models import Conversation, Wish
from insights.indicators import BY_KEY, Period
from plans.models import WishAnswer

TODAY = date(2026, 11, 20)
YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))


def _figure(key, children, period=YEAR, unit="all"):
    return BY_KEY[key].figures(children, period, unit)


def _children(*children):
    from cases.models import Child

    return Child.objects.filter(pk__in=[c.pk for c in children]).values("pk")


def _aware(day: date):
    return timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 10, 0))


def test_assessments_on_the_deadline_count_as_on_time_the_day_after_do_not(child, caseworker):
    from cases.services import assessment_add

    known = date(2026, 3, 10)  # deadline 10 July 2026: 4 months
    on_time = assessment_add(
        actor=caseworker, child=child, need_known_on=known, completed_on=date(2026, 7, 10)
    )
    late = assessment_add(
        actor=caseworker, child=child, need_known_on=known, completed_on=date(2026, 7, 11)
    )
    assert on_time.deadline == date(2026, 7, 10) and late.deadline == date(2026, 7, 10)
    figure = _figure("assessments_on_time", _children(child))[None]
    assert (figure.counted, figure.met, figure.share) == (2, 1, 50.0)


def test_decisions_heard_follow_the_rule_of_section_5(child, caseworker, settings):
    settings.STEMME_DECISION_CONVERSATION_WINDOW_DAYS = 90
    case = current_case(child)

    def decision(day):
        return Decision.objects.create(
            case=case, decided_on=day, subject="x", finalised_at=_aware(day)
        )

    linked = decision(date(2026, 3, 1))
    Conversation.objects.create(
        child=child,
        kind="follow_up",
        status="held",
        planned_at=_aware(date(2026, 2, 1)),
        held_at=_aware(date(2026, 2, 1)),
        place="x",
        decision=linked,
        created_by=caseworker,
    )
    at_window = decision(date(2026, 9, 1))
    Conversation.objects.create(
        child=child,
        kind="before_decision",
        status="held",
        planned_at=_aware(date(2026, 6, 3)),
        held_at=_aware(date(2026, 6, 3)),  # 90 days before
        place="x",
        created_by=caseworker,
    )
    beyond = decision(date(2026, 12, 1))  # the nearest conversation is 91+ days before
    decision(date(2025, 12, 1))  # outside the period: not counted
    Decision.objects.create(case=case, decided_on=date(2026, 5, 1), subject="draft")  # not final
    figure = _figure("decisions_heard", _children(child))[None]
    assert (figure.counted, figure.met) == (3, 2)
    from conversations.rules import decision_has_conversation

    assert [decision_has_conversation(d) for d in (linked, at_window, beyond)] == [
        True,
        True,
        False,
    ]  # the same answers as the rule the decision page uses


def test_influence_counts_wishes_answered(child, caseworker):
    conversation = Conversation.objects.create(
        child=child,
        kind="follow_up",
        status="held",
        planned_at=timezone.now(),
        held_at=timezone.now(),
        place="x",
        created_by=caseworker,
    )
    answered = Wish.objects.create(child=child, conversation=conversation, text="a")
    Wish.objects.create(child=child, conversation=conversation, text="b")
    Wish.objects.create(child=child, conversation=conversation, text="c")
    WishAnswer.objects.create(
        wish=answered, outcome="done", answer_to_child="ja", created_by=caseworker
    )
    period = Period(timezone.localdate() - timedelta(days=1), timezone.localdate())
    figure = _figure("influence", _children(child), period)[None]
    assert (figure.counted, figure.met, figure.share) == (3, 1, 33.3)


def test_feedback_averages_are_the_childrens_answers(child, caseworker):
    answer_feedback(child, caseworker, [10, 6, 8, 4, 2])  # meeting: listened first
    answer_feedback(child, caseworker, [6, 6, 8, 4, 2])
    period = Period(timezone.localdate() - timedelta(days=1), timezone.localdate())
    listened = _figure("felt_listened", _children(child), period)[None]
    assert listened.counted == 2 and float(listened.met) == 8.0


def test_per_caseworker_and_per_team(municipality, caseworker, colleague, west_caseworker):
    mine = make_child(municipality, caseworker, serial=11)
    theirs = make_child(municipality, colleague, serial=12)
    west = make_child(municipality, west_caseworker, serial=13)
    for child, met in ((mine, True), (theirs, False), (west, True)):
        wish = Wish.objects.create(
            child=child,
            conversation=Conversation.objects.create(
                child=child,
                kind="follow_up",
                status="held",
                planned_at=timezone.now(),
                held_at=timezone.now(),
                place="x",
                created_by=caseworker,
            ),
            text="ønske",
        )
        if met:
            WishAnswer.objects.create(
                wish=wish, outcome="done", answer_to_child="ja", created_by=caseworker
            )
    period = Period(timezone.localdate(), timezone.localdate())
    children = _children(mine, theirs, west)
    by_caseworker = _figure("influence", children, period, "caseworker")
    assert {k: (f.counted, f.met) for k, f in by_caseworker.items()} == {
        caseworker.pk: (1, 1),
        colleague.pk: (1, 0),
        west_caseworker.pk: (1, 1),
    }
    by_team = _figure("influence", children, period, "team")
    assert {k: (f.counted, f.met) for k, f in by_team.items()} == {
        caseworker.team_id: (2, 1),
        west_caseworker.team_id: (1, 1),
    }


def test_each_role_gets_its_own_dashboard_and_the_csv(
    child, caseworker, colleague, team_leader, head, analyst, client_for
):
    make_child(child.municipality, colleague, serial=21)
    page = client_for(caseworker).get(reverse("insights:dashboard")).content.decode()
    assert "Mine børn" in page and "Definition:" in page and child.first_name not in page
    leader = client_for(team_leader).get(reverse("insights:dashboard")).content.decode()
    assert colleague.get_full_name() in leader or "Pr. rådgiver" in leader
    for user in (head, analyst):
        assert client_for(user).get(reverse("insights:dashboard")).status_code == 200
    response = client_for(head).get(reverse("insights:dashboard"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:5] == ["indicator", "unit", "counted", "met", "value"]
    assert len({row[0] for row in rows[1:]}) == len(BY_KEY)
    bad = client_for(head).get(reverse("insights:dashboard"), {"date_from": "not a date"})
    assert bad.status_code == 200 and "gyldig dato" in bad.content.decode()


@pytest.mark.parametrize("role_fixture", ["foster_carer", "administrator"])
def test_contributors_and_administrators_get_no_dashboard(request, role_fixture, client_for):
    user = request.getfixturevalue(role_fixture)
    assert client_for(user).get(reverse("insights:dashboard")).status_code == 403


def test_the_dashboard_costs_the_same_queries_for_more_children(
    municipality, caseworker, head, client_for, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(head)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("insights:dashboard")).status_code == 200
        return len(queries.captured_queries)

    for serial in range(30, 33):
        answer_feedback(make_child(municipality, caseworker, serial=serial), caseworker, [5] * 5)
    before = count()
    for serial in range(40, 50):
        answer_feedback(make_child(municipality, caseworker, serial=serial), caseworker, [7] * 5)
    assert count() == before
