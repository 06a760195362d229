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
from insights.indicators import BY_KEY, Period, Population
from plans.models import WishAnswer

TODAY = date(2026, 11, 20)
YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))


def _figure(key, children, period=YEAR, unit="all"):
    return BY_KEY[key].figures(children, period, unit)


def _children(*children):
    """The population of these children, their municipality's caseworkers and municipality."""
    from accounts.models import Role, User
    from cases.models import Child

    municipalities = tuple({c.municipality_id for c in children})
    return Population(
        Child.objects.filter(pk__in=[c.pk for c in children]).values("pk"),
        User.objects.filter(municipality_id__in=municipalities, role=Role.CASEWORKER).values("pk"),
        municipalities,
    )


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
    counted_now = {"date_from": "2025-12-01", "date_to": timezone.localdate().isoformat()}

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("insights:dashboard"), counted_now).status_code == 200
        return len(queries.captured_queries)

    for serial in range(30, 33):
        answer_feedback(make_child(municipality, caseworker, serial=serial), caseworker, [5] * 5)
    before = count()
    for serial in range(40, 50):
        answer_feedback(make_child(municipality, caseworker, serial=serial), caseworker, [7] * 5)
    assert count() == before


def _measure(caseworker, child, started, **extra):
    from cases.services import measure_add

    return measure_add(actor=caseworker, child=child, started_on=started, **extra)


def _follow_up_talk(child, caseworker, day, **extra):
    return Conversation.objects.create(
        child=child,
        kind="follow_up",
        status="held",
        planned_at=_aware(day),
        held_at=_aware(day),
        place="x",
        created_by=caseworker,
        **extra,
    )


def test_first_follow_up_on_the_due_day_counts_the_day_after_does_not(municipality, caseworker):
    # Started 30 Nov 2025: the first follow-up is due 28 Feb 2026 (calendar months).
    in_time = make_child(municipality, caseworker, serial=61)
    late = make_child(municipality, caseworker, serial=62)
    recorded = make_child(municipality, caseworker, serial=63)
    for child in (in_time, late, recorded):
        measure = _measure(caseworker, child, date(2025, 11, 30), kind="family_support")
        assert measure.first_follow_up_due == date(2026, 2, 28)
    _follow_up_talk(in_time, caseworker, date(2026, 2, 28))
    _follow_up_talk(late, caseworker, date(2026, 3, 1))
    from cases.services import follow_up_add

    follow_up_add(
        actor=caseworker, child=recorded, due_on=date(2026, 2, 28), held_on=date(2026, 2, 20)
    )
    figure = _figure("follow_up_on_time", _children(in_time, late, recorded))[None]
    assert (figure.counted, figure.met) == (3, 2)


def test_plans_within_three_months_of_the_placement_decision(municipality, caseworker):
    from plans.models import ChildPlan

    on_time = make_child(municipality, caseworker, serial=64)
    late = make_child(municipality, caseworker, serial=65)
    for child, adopted in ((on_time, date(2026, 4, 15)), (late, date(2026, 4, 16))):
        measure = _measure(caseworker, child, date(2026, 1, 15), kind="foster_care")
        decision = Decision.objects.create(
            case=current_case(child),
            decided_on=date(2026, 1, 15),
            subject="Anbringelse",
            measure=measure,
            finalised_at=_aware(date(2026, 1, 15)),
        )
        assert decision.plan_due == date(2026, 4, 15)
        ChildPlan.objects.create(
            child=child,
            kind="child",
            adopted_on=adopted,
            next_review_on=date(2026, 10, 1),
            created_by=caseworker,
        )
    support = make_child(municipality, caseworker, serial=66)  # not a placement: not counted
    Decision.objects.create(
        case=current_case(support),
        decided_on=date(2026, 1, 15),
        subject="Støtte",
        measure=_measure(caseworker, support, date(2026, 1, 15), kind="family_support"),
        finalised_at=_aware(date(2026, 1, 15)),
    )
    figure = _figure("plans_on_time", _children(on_time, late, support))[None]
    assert (figure.counted, figure.met) == (2, 1)


def test_caseload_and_caseworkers_above_the_threshold(
    municipality, caseworker, colleague, settings
):
    municipality.caseload_threshold = 2
    municipality.save()
    mine = [make_child(municipality, caseworker, serial=70 + i) for i in range(3)]
    theirs = [make_child(municipality, colleague, serial=80 + i) for i in range(2)]
    population = _children(*mine, *theirs)
    today = Period(timezone.localdate(), timezone.localdate())
    caseload = BY_KEY["caseload"].figures(population, today, "all")[None]
    assert (caseload.counted, float(caseload.met)) == (5, 2.5)
    per_caseworker = BY_KEY["caseload"].figures(population, today, "caseworker")
    assert {k: f.counted for k, f in per_caseworker.items()} == {caseworker.pk: 3, colleague.pk: 2}
    above = BY_KEY["over_threshold"].figures(population, today, "all")[None]
    assert (above.counted, above.met) == (2, 1)


def test_turnover_counts_caseworkers_who_left_in_the_period(municipality, caseworker, colleague):
    colleague.is_active, colleague.left_on = False, date(2026, 6, 30)
    colleague.save()
    population = _children(make_child(municipality, caseworker, serial=90))
    figure = BY_KEY["turnover"].figures(population, YEAR, "all")[None]
    assert (figure.counted, figure.met) == (2, 1)
    before = Period(date(2026, 1, 1), date(2026, 6, 29))
    assert BY_KEY["turnover"].figures(population, before, "all")[None].met == 0


def test_lifebook_contributions_overdue_follow_the_cadence(child, foster_carer, settings):
    from lifebook.models import Entry

    settings.STEMME_LIFEBOOK_CADENCE_DAYS = {"foster_carer": 30}
    link = child.contributor_links.get()
    link.started_on = timezone.localdate() - timedelta(days=100)
    link.save()
    today = Period(timezone.localdate(), timezone.localdate())
    behind = BY_KEY["lifebook_overdue"].figures(_children(child), today, "all")[None]
    assert (behind.counted, behind.met) == (1, 1)
    Entry.objects.create(
        child=child, author=foster_carer, happened_on=timezone.localdate(), title="Fodbold"
    )
    now = BY_KEY["lifebook_overdue"].figures(_children(child), today, "all")[None]
    assert (now.counted, now.met) == (1, 0)


def test_the_self_assessment_is_scored_kept_over_time_and_is_outcome_seven(
    child, head, caseworker, client_for
):
    from insights.models import STATEMENTS, SelfAssessment

    client = client_for(head)
    answers = {f"agree_{key}": "2" for key in STATEMENTS}  # "partly" everywhere: 50
    incomplete = client.post(
        reverse("insights:self_assessment_new"), {"carried_out_on": "2026-03-01", "agree_1a": "4"}
    )
    assert incomplete.status_code == 400 and not SelfAssessment.objects.exists()
    client.post(
        reverse("insights:self_assessment_new"), {"carried_out_on": "2026-03-01", **answers}
    )
    answers["agree_7b"] = "4"
    answers["agree_1a"] = "4"
    client.post(
        reverse("insights:self_assessment_new"),
        {"carried_out_on": "2026-09-01", "note": "Mere 'du sagde – vi gjorde'", **answers},
    )
    assert list(SelfAssessment.objects.values_list("score", flat=True)) == [57, 50]
    history = client.get(reverse("insights:self_assessment")).content.decode()
    assert "57" in history and "50" in history and "Mere" in history
    latest = _figure("keeps_developing", _children(child))[None]
    assert (latest.counted, float(latest.met)) == (2, 57.0)
    assert client_for(caseworker).get(reverse("insights:self_assessment_new")).status_code == 403


def test_small_cells_are_hidden_with_one_more_so_they_cannot_be_subtracted():
    from insights.indicators import Figure, suppress

    four, five, six = Figure(4, 2, 4), Figure(5, 1, 5), Figure(9, 3, 6)
    suppress([four, five, six], 5)
    assert (four.suppressed, five.suppressed, six.suppressed) == (True, True, False)
    assert four.value("share") is None and six.value("share") == 33.3
    shown = [Figure(5, 1, 5), Figure(7, 1, 7)]
    suppress(shown, 5)
    assert not any(figure.suppressed for figure in shown)


def test_the_research_export_is_pseudonymised_and_suppresses_small_cells(
    municipality, caseworker, west_caseworker
):
    from insights import export

    children = [make_child(municipality, caseworker, serial=100 + i) for i in range(6)]
    children += [make_child(municipality, west_caseworker, serial=110 + i) for i in range(2)]
    for child in children:
        Wish.objects.create(
            child=child,
            conversation=_follow_up_talk(child, caseworker, timezone.localdate()),
            text="ønske",
        )
    period = Period(timezone.localdate(), timezone.localdate())
    out = io.StringIO()
    export.write(out, "a-long-evaluator-key", period)
    text = out.getvalue()
    rows = list(csv.DictReader(io.StringIO(text)))
    influence = [row for row in rows if row["indicator"] == "influence"]
    whole = next(row for row in influence if not row["team"])
    assert whole["counted"] == "8" and whole["suppressed"] == "no"
    teams = sorted((row for row in influence if row["team"]), key=lambda r: r["counted"])
    # West's 2 children are hidden, and so the other team's 6 (or it could be subtracted).
    assert [row["suppressed"] for row in teams] == ["yes", "yes"]
    assert all(row["counted"] == "" for row in teams)
    for child in children:
        assert child.cpr not in text and child.first_name not in text
    assert municipality.name not in text and municipality.code not in whole["municipality"]
    again = io.StringIO()
    export.write(again, "a-long-evaluator-key", period)
    assert again.getvalue() == text  # stable pseudonyms for the same key
    other = io.StringIO()
    export.write(other, "another-evaluator-key", period)
    assert whole["municipality"] not in other.getvalue()


def test_the_analyst_sees_aggregates_only_with_small_cells_hidden(child, analyst, head, client_for):
    page = client_for(analyst).get(reverse("insights:dashboard")).content.decode()
    assert child.first_name not in page and child.cpr not in page
    assert "skjult: for få" in page
    assert (
        "skjult: for få" not in client_for(head).get(reverse("insights:dashboard")).content.decode()
    )
    response = client_for(analyst).post(
        reverse("insights:export"),
        {"key": "x" * 20, "date_from": "2026-01-01", "date_to": "2026-12-31"},
    )
    assert response.status_code == 200 and child.cpr not in response.content.decode()
    short = client_for(analyst).post(reverse("insights:export"), {"key": "short"})
    assert short.status_code == 400


def test_leaders_read_a_snapshot_that_is_counted_again_when_old(
    municipality, caseworker, head, client_for, settings
):
    from datetime import timedelta as td

    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from insights.models import DashboardSnapshot

    settings.STEMME_INSIGHTS_MAX_AGE_MINUTES = 15
    child = make_child(municipality, caseworker, serial=120)
    client = client_for(head)
    first = client.get(reverse("insights:dashboard")).content.decode()
    snapshot = DashboardSnapshot.objects.get()
    assert snapshot.key.startswith(f"municipality:{municipality.pk}|") and "Optalt" in first
    answer_feedback(child, caseworker, [9] * 5)
    client.get(reverse("insights:dashboard"))
    assert not DBTaskResult.objects.exists()  # fresh: read as it is
    DashboardSnapshot.objects.update(computed_at=timezone.now() - td(minutes=16))
    client.get(reverse("insights:dashboard"))
    client.get(reverse("insights:dashboard"))
    assert DBTaskResult.objects.count() == 1  # old: counted again once, in the background
    from insights.tasks import refresh_snapshot

    refresh_snapshot.call(snapshot.key.split("|")[0], "team")
    refreshed = DashboardSnapshot.objects.get()
    assert refreshed.computed_at > timezone.now() - td(minutes=1)
    assert refreshed.data["felt_listened"]["total"][0] == 1
    out = io.StringIO()
    call_command("insights_refresh", stdout=out)
    assert "Counted" in out.getvalue()
    assert DashboardSnapshot.objects.count() == 4  # the municipality and its teams' views


def test_the_breakdown_of_one_indicator_loads_on_its_own(
    municipality, caseworker, colleague, west_caseworker, head, client_for
):
    make_child(municipality, caseworker, serial=130)
    make_child(municipality, west_caseworker, serial=131)
    client = client_for(head)
    page = client.get(reverse("insights:dashboard")).content.decode()
    assert "indicator=caseload" in page and '<table class="data">' not in page
    part = client.get(
        reverse("insights:dashboard"), {"indicator": "caseload"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in part and "Team Øst" in part and "Team Vest" in part
    whole = client.get(reverse("insights:dashboard"), {"indicator": "caseload"}).content.decode()
    assert "<html" in whole and "Team Vest" in whole
    missing = client.get(
        reverse("insights:dashboard"), {"indicator": "nope"}, HTTP_HX_REQUEST="true"
    )
    assert missing.status_code == 404


def test_the_remaining_indicators_against_a_hand_computed_set(
    municipality, caseworker, colleague, team_leader
):
    """Two placed children: every other indicator, counted by hand."""
    from continuity.models import CaseworkerAssignment, Handover
    from feedback import services as feedback_services
    from feedback.models import Channel, Instrument
    from plans.models import ChildPlan, Complaint

    a = make_child(municipality, caseworker, serial=140, birth=date(2012, 3, 1))
    b = make_child(municipality, caseworker, serial=141, birth=date(2011, 3, 1))
    _measure(caseworker, a, date(2025, 1, 1), kind="foster_care")
    _measure(caseworker, b, date(2025, 2, 1), kind="foster_care")
    visits = []
    for child, day in ((a, date(2026, 3, 1)), (a, date(2026, 9, 1)), (b, date(2026, 4, 1))):
        visits.append(_follow_up_talk(child, caseworker, day))
        Conversation.objects.filter(pk=visits[-1].pk).update(kind="supervision")
    informal = _follow_up_talk(a, caseworker, date(2026, 5, 1))
    Conversation.objects.filter(pk=informal.pk).update(kind="informal")  # no feedback expected
    # supervision_twice: a has two visits in the year, b one.
    population = _children(a, b)
    assert (lambda f: (f.counted, f.met))(_figure("supervision_twice", population)[None]) == (2, 1)
    # feedback_share: the child answered after one of the three visits (the informal one is out).
    request, _token = feedback_services.feedback_request_create(
        actor=caseworker,
        child=a,
        instrument=Instrument.objects.get(key="meeting", municipality=None),
        channel=Channel.LINK,
        conversation=visits[0],
    )
    response = feedback_services.response_for(request)
    for item, value in zip(request.version.items.all(), [10, 4, 6, 8, 8], strict=True):
        feedback_services.answer_item(response=response, item=item, value=value)
    feedback_services.complete(response=response)
    share = _figure("feedback_share", population)[None]
    assert (share.counted, share.met) == (3, 1)
    today = Period(timezone.localdate(), timezone.localdate())
    assert float(_figure("understood_next", population, today)[None].met) == 4.0
    assert float(_figure("had_say", population, today)[None].met) == 6.0
    assert float(_figure("feels_heard", population, today)[None].met) == 8.0  # (10 + 6) / 2
    # understands_decisions and view_in_decisions: one of two final decisions is explained to
    # the child and has the child's view and its weight; a draft does not count.
    case = current_case(a)
    Decision.objects.create(
        case=case,
        decided_on=date(2026, 6, 1),
        subject="Samvær",
        finalised_at=_aware(date(2026, 6, 1)),
        childs_view="Vil se mor",
        how_weighed="Fulgt",
        explanation_for_child="Du må se mor hver uge.",
        child_told_on=date(2026, 6, 2),
    )
    Decision.objects.create(
        case=case, decided_on=date(2026, 7, 1), subject="x", finalised_at=_aware(date(2026, 7, 1))
    )
    Decision.objects.create(case=case, decided_on=date(2026, 7, 2), subject="draft")
    for key in ("understands_decisions", "view_in_decisions"):
        figure = _figure(key, population)[None]
        assert (figure.counted, figure.met) == (2, 1), key
    # ownership: of three plans adopted, two have the child's response and one agrees.
    for agrees in (True, False, None):
        ChildPlan.objects.create(
            child=b,
            kind="child",
            adopted_on=date(2026, 2, 1),
            next_review_on=date(2026, 12, 1),
            child_agrees=agrees,
            created_by=caseworker,
        )
    ownership = _figure("ownership", population)[None]
    assert (ownership.counted, ownership.met) == (2, 1)
    # caseworkers_per_child: a had the colleague until May, so 3 caseworkers for 2 children.
    CaseworkerAssignment.objects.create(
        child=a,
        caseworker=colleague,
        kind="responsible",
        started_at=_aware(date(2025, 6, 1)),
        ended_at=_aware(date(2026, 5, 1)),
    )
    continuity = _figure("caseworkers_per_child", population)[None]
    assert (continuity.counted, float(continuity.met)) == (2, 1.5)
    # handovers_joint: two completed handovers, one with a joint meeting with the child.
    for joint in (True, False):
        Handover.objects.create(
            child=a,
            from_caseworker=colleague,
            to_caseworker=caseworker,
            status="completed",
            started_at=_aware(date(2026, 4, 20)),
            overlap_until=date(2026, 5, 1),
            joint_meeting_at=_aware(date(2026, 4, 28)) if joint else None,
            finished_at=_aware(date(2026, 5, 1)),
            started_by=team_leader,
        )
    handovers = _figure("handovers_joint", population)[None]
    assert (handovers.counted, handovers.met) == (2, 1)
    # complaints and breakdowns: two complaints; of two placements ended, one broke down.
    for day in (date(2026, 6, 10), date(2026, 8, 10)):
        Complaint.objects.create(child=a, received_on=day, complainant="parent", summary="x")
    assert _figure("complaints", population)[None].value("count") == 2
    _measure(
        caseworker,
        b,
        date(2024, 1, 1),
        kind="institution",
        ended_on=date(2026, 3, 1),
        end_kind="unplanned",
    )
    _measure(
        caseworker,
        b,
        date(2024, 1, 1),
        kind="kinship_care",
        ended_on=date(2026, 4, 1),
        end_kind="planned",
    )
    breakdowns = _figure("breakdowns", population)[None]
    assert (breakdowns.counted, breakdowns.met) == (2, 1)


# --- Barnets lov § 156, stk. 5: the indicator and the due-lists are one rule

TO_20_NOVEMBER = Period(date(2026, 1, 1), date(2026, 11, 20))


def _visit(child, caseworker, day):
    visit = _follow_up_talk(child, caseworker, day)
    Conversation.objects.filter(pk=visit.pk).update(kind="supervision")
    return visit


@pytest.mark.parametrize(("days_before", "met"), [(0, 1), (1, 0)])
def test_a_placement_younger_than_a_year_counts_once_its_first_visit_is_due(
    municipality, caseworker, days_before, met
):
    from core.dates import add_months

    child = make_child(municipality, caseworker, serial=150)
    _measure(
        caseworker,
        child,
        add_months(TO_20_NOVEMBER.end, -6) - timedelta(days=days_before),
        kind="institution",
    )
    figure = _figure("supervision_twice", _children(child), TO_20_NOVEMBER)[None]
    assert (figure.counted, figure.met) == (1, met)


def test_a_placement_whose_first_visit_is_not_yet_due_is_not_counted(municipality, caseworker):
    from core.dates import add_months

    child = make_child(municipality, caseworker, serial=151)
    _measure(
        caseworker,
        child,
        add_months(TO_20_NOVEMBER.end, -6) + timedelta(days=1),
        kind="institution",
    )
    assert _figure("supervision_twice", _children(child), TO_20_NOVEMBER)[None].counted == 0


def test_the_supervision_indicator_agrees_with_the_due_list(municipality, caseworker):
    """The same placements, seen today: what the due-list calls overdue the indicator counts as
    not met — a placement of 400 days with one visit 20 days ago among them."""
    from conversations.rules import due_conversations

    today = timezone.localdate()
    cases = [  # (days placed, days since each visit)
        (400, [20]),
        (400, [20, 300]),
        (400, [20, 380]),
        (200, []),
        (200, [10]),
        (100, []),
        (800, [100, 200]),
    ]
    children = []
    for serial, (placed, visits) in enumerate(cases, start=160):
        child = make_child(municipality, caseworker, serial=serial)
        _measure(caseworker, child, today - timedelta(days=placed), kind="foster_care")
        for days in visits:
            _visit(child, caseworker, today - timedelta(days=days))
        children.append(child)
    due = due_conversations([c.pk for c in children])
    overdue = sum(
        1 for c in children for d in due.get(c.pk, []) if d.kind == "supervision" and d.is_overdue
    )
    figure = _figure("supervision_twice", _children(*children), Period(today, today))[None]
    assert overdue == 3  # 400 days with one visit; 380 days ago is out; 200 days with none
    assert (figure.counted, figure.counted - figure.met) == (6, overdue)


# --- Labels state the figures the settings hold


def test_indicator_labels_follow_the_settings(settings, caseworker, client_for, head):
    from django.utils import translation

    with translation.override("en"):
        assert str(BY_KEY["assessments_on_time"].name) == "Assessments finished within 4 months"
        settings.STEMME_ASSESSMENT_DEADLINE_MONTHS = 5
        settings.STEMME_FIRST_FOLLOW_UP_MONTHS = 2
        settings.STEMME_PLAN_DEADLINE_MONTHS = 1
        settings.STEMME_SUPERVISION_VISITS = 3
        settings.STEMME_CONTINUITY_WINDOW_MONTHS = 24
        assert str(BY_KEY["assessments_on_time"].name) == "Assessments finished within 5 months"
        assert "5 months after" in str(BY_KEY["assessments_on_time"].definition)
        assert str(BY_KEY["follow_up_on_time"].name) == "First follow-up within 2 months"
        assert str(BY_KEY["plans_on_time"].name) == "Plans within 1 month"
        assert "3 in every 12 months" in str(BY_KEY["supervision_twice"].name)
        assert "last 24 months" in str(BY_KEY["caseworkers_per_child"].name)
    html = client_for(head).get(reverse("insights:dashboard")).content.decode()
    assert "inden for 5 måneder" in html and "inden for 4 måneder" not in html
    assert "inden for 1 måned" in html


@pytest.mark.parametrize(("held_days_after", "heard"), [(0, 1), (1, 0), (5, 0)])
def test_a_conversation_after_the_decision_is_not_heard_before_it(
    child, caseworker, held_days_after, heard
):
    """Barnets lov § 5, the same rule as the finality guard: linked but held after the decision
    date does not count; held on the decision day does."""
    from conversations.rules import decision_has_conversation

    decided = date(2026, 3, 10)
    decision = Decision.objects.create(
        case=current_case(child), decided_on=decided, subject="x", finalised_at=_aware(decided)
    )
    held = _aware(decided + timedelta(days=held_days_after))
    Conversation.objects.create(
        child=child,
        kind="before_decision",
        status="held",
        planned_at=held,
        held_at=held,
        place="x",
        decision=decision,
        created_by=caseworker,
    )
    figure = _figure("decisions_heard", _children(child))[None]
    assert (figure.counted, figure.met) == (1, heard)
    assert decision_has_conversation(decision) is bool(heard)
