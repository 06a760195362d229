"""The child's feedback: scoring and alert rules (property-tested), versions kept forever,
answering through a link (expired, reused, forged, out of range, half-finished), the locked
screen, alerts, the trend and the team numbers."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from conftest import PASSWORD, answer_feedback, make_child, make_conversation
from core import testing
from feedback import scoring, services
from feedback.models import (
    AlertKind,
    Channel,
    FeedbackAlert,
    FeedbackRequest,
    FeedbackResponse,
    Instrument,
    InstrumentVersion,
    Item,
    Scale,
)

faces = st.integers(min_value=1, max_value=5)
slider = st.integers(min_value=0, max_value=10)
scores = st.decimals(min_value=0, max_value=10, places=2)


# --- Scoring and alert rules, for every possible answer


@given(faces, faces)
def test_faces_map_monotonically_onto_zero_to_ten(a, b):
    na, nb = scoring.normalize(a, Scale.FACES), scoring.normalize(b, Scale.FACES)
    assert Decimal(0) <= na <= Decimal(10)
    assert (a < b) == (na < nb)


@given(slider)
def test_the_slider_keeps_its_value(value):
    assert scoring.normalize(value, Scale.SLIDER) == Decimal(value)


@given(st.integers().filter(lambda v: v not in range(0, 11)))
def test_answers_out_of_range_are_refused(value):
    assert not scoring.is_valid(value, Scale.SLIDER)
    with pytest.raises(ValueError):
        scoring.normalize(value, Scale.SLIDER)


@given(st.lists(st.one_of(st.none(), slider.map(Decimal)), max_size=8))
def test_the_score_is_the_mean_of_the_answered_questions(values):
    answered = [v for v in values if v is not None]
    result = scoring.score(values)
    if not answered:
        assert result is None
    else:
        assert min(answered) <= result <= max(answered)


@given(scores, st.one_of(st.none(), scores), scores, scores)
def test_alert_rules(current, previous, below, drop):
    raised = scoring.alerts(current, previous, below, drop)
    assert (AlertKind.LOW in raised) == (current < below)
    assert (AlertKind.DROP in raised) == (previous is not None and previous - current > drop)


def test_no_alert_without_a_score():
    assert scoring.alerts(None, Decimal(9), Decimal(6), Decimal(2)) == []


@pytest.mark.parametrize(("age", "scale"), [(6, Scale.FACES), (9, Scale.FACES), (10, Scale.SLIDER)])
def test_the_youngest_answer_on_faces(age, scale):
    assert scoring.scale_for_age(age, 10) == scale


# --- Versions


def test_old_answers_keep_their_instrument_version(child, caseworker):
    old, _alerts = answer_feedback(child, caseworker, [8, 8, 8, 8, 8])
    instrument = old.version.instrument
    new_version = InstrumentVersion.objects.create(instrument=instrument, number=2, alert_below=5)
    for position, item in enumerate(old.version.items.all(), start=1):
        Item.objects.create(
            version=new_version,
            position=position,
            outcome=item.outcome,
            text_da=item.text_da + " (ny)",
            text_en=item.text_en,
        )
    new, _alerts = answer_feedback(child, caseworker, [7, 7, 7, 7, 7])
    old.refresh_from_db()
    assert old.version.number == 1 and new.version.number == 2
    assert {a.item.version_id for a in old.answers.all()} == {old.version_id}
    assert old.version.is_answered


# --- Answering through a link


def _request(child, caseworker, key="meeting", channel=Channel.LINK):
    instrument = Instrument.objects.get(key=key, municipality=None)
    return services.feedback_request_create(
        actor=caseworker, child=child, instrument=instrument, channel=channel
    )


def test_a_child_answers_through_the_link_without_signing_in(child, caseworker):
    request, token = _request(child, caseworker)
    client = Client()
    url = reverse("feedback:answer", args=[token])
    page = client.get(url)
    assert page.status_code == 200 and "Spørgsmål 1 af 5" in page.content.decode()
    items = list(request.version.items.all())
    for item, value in zip(items, [9, 8, 7, 9, 10], strict=True):
        assert client.post(url, {"item": item.pk, "value": value}).status_code == 302
    done = client.get(url, follow=True)
    assert "Tak" in done.content.decode()
    response = FeedbackResponse.objects.get()
    assert response.is_complete and response.score == Decimal("8.60")
    assert response.scale == Scale.SLIDER  # Emma is 12


def test_a_half_finished_answer_is_kept_and_continued(child, caseworker):
    request, token = _request(child, caseworker)
    url = reverse("feedback:answer", args=[token])
    items = list(request.version.items.all())
    Client().post(url, {"item": items[0].pk, "value": 4})
    Client().post(url, {"item": items[1].pk, "action": "skip"})
    # The phone died; the child opens the link again later.
    page = Client().get(url)
    assert "Spørgsmål 3 af 5" in page.content.decode()
    response = FeedbackResponse.objects.get()
    assert response.answers.count() == 2 and not response.is_complete


def test_out_of_range_and_forged_answers_get_a_plain_message(child, caseworker):
    request, token = _request(child, caseworker)
    url = reverse("feedback:answer", args=[token])
    item = request.version.items.first()
    for data in (
        {"item": item.pk, "value": 11},
        {"item": item.pk, "value": "-1"},
        {"item": 999999, "value": 5},
        {"item": item.pk, "value": "<script>"},
    ):
        page = Client().post(url, data)
        assert page.status_code == 400 and "Vælg et af svarene" in page.content.decode()
    assert not FeedbackResponse.objects.get().answers.exists()


def test_forged_expired_and_reused_links(child, caseworker):
    assert Client().get(reverse("feedback:answer", args=["x" * 32])).status_code == 404
    request, token = _request(child, caseworker)
    url = reverse("feedback:answer", args=[token])
    FeedbackRequest.objects.filter(pk=request.pk).update(expires_at=timezone.now())
    expired = Client().get(url)
    assert expired.status_code == 410 and "for gammelt" in expired.content.decode()
    request, token = _request(child, caseworker)
    url = reverse("feedback:answer", args=[token])
    Client().post(url, {"action": "decline"})
    reused = Client().get(url)
    assert reused.status_code == 200 and "Tak" in reused.content.decode()
    assert Client().post(url, {"item": 1, "value": 5}).status_code == 200
    response = FeedbackResponse.objects.get(request=request)
    assert response.declined and response.score is None


def test_only_the_links_hash_is_stored(child, caseworker):
    request, token = _request(child, caseworker)
    assert token not in request.token_hash and len(request.token_hash) == 64


def test_the_youngest_answer_on_faces_through_the_page(municipality, caseworker):
    small = make_child(
        municipality, caseworker, birth=timezone.localdate() - timedelta(days=7 * 365), serial=60
    )
    _request_, token = _request(small, caseworker)
    page = Client().get(reverse("feedback:answer", args=[token])).content.decode()
    assert 'class="faces"' in page and 'value="5"' in page and 'value="0"' not in page


# --- The locked screen


def test_the_handed_over_screen_shows_only_the_questions(child, caseworker, client_for):
    client = client_for(caseworker)
    response = client.post(
        reverse("feedback:ask", args=[child.pk]),
        {"instrument": Instrument.objects.get(key="meeting").pk, "channel": Channel.SCREEN},
    )
    answer_url = response["Location"]
    assert "/f/" in answer_url
    # Every other page leads back to the questions.
    assert client.get(reverse("cases:child", args=[child.pk]))["Location"] == answer_url
    assert client.get(reverse("cases:start"))["Location"] == answer_url
    unlock = reverse("feedback:unlock")
    assert client.post(unlock, {"password": "wrong"}).status_code == 200
    assert client.get(reverse("cases:start"))["Location"] == answer_url
    back = client.post(unlock, {"password": PASSWORD})
    assert back["Location"] == reverse("cases:child", args=[child.pk])
    assert client.get(reverse("cases:start")).status_code == 200


def test_asking_by_link_shows_the_qr_code_once(child, caseworker, client_for):
    response = client_for(caseworker).post(
        reverse("feedback:ask", args=[child.pk]),
        {"instrument": Instrument.objects.get(key="meeting").pk, "channel": Channel.LINK},
    )
    assert response.status_code == 200 and b"<svg" in response.content
    assert "/f/" in response.context["url"]


def test_feedback_asked_from_a_meeting_is_tied_to_that_meeting(child, caseworker, client_for):
    """The conversation's "ask for feedback" link pre-selects the meeting; the form is sent
    exactly as the page offers it, also when the meeting is older than the 20 listed."""
    client = client_for(caseworker)
    conversation, _statement, _drawing = make_conversation(
        child, caseworker, planned_at=timezone.now() - timedelta(days=400)
    )
    for days in range(21):
        make_conversation(child, caseworker, planned_at=timezone.now() - timedelta(days=days))
    detail_url = reverse("conversations:detail", args=[child.pk, conversation.pk])
    links, _forms = testing.parse(client.get(detail_url).content.decode())
    ask_url = next(link for link in links if "/feedback/ask/" in link)
    page = client.get(ask_url)
    (form,) = [f for f in testing.forms_of(page) if f.method == "post" and "channel" in f.names()]
    pairs = form.offered()
    assert ("conversation", str(conversation.pk)) in pairs
    answer = testing.submit(client, ask_url, form, pairs)
    assert "gyldig valgmulighed" not in answer.content.decode()
    assert answer.status_code == 200 and b"<svg" in answer.content
    assert FeedbackRequest.objects.get().conversation == conversation
    # Another child's meeting is still refused.
    other = make_child(child.municipality, caseworker, serial=2)
    foreign, _statement, _drawing = make_conversation(other, caseworker)
    forged = [(k, str(foreign.pk) if k == "conversation" else v) for k, v in pairs]
    refused = testing.submit(client, ask_url, form, forged)
    assert "Marker en gyldig valgmulighed" in refused.content.decode()
    assert FeedbackRequest.objects.count() == 1


def test_the_network_answers_a_parallel_version(child, caseworker):
    instrument = Instrument.objects.get(key="meeting_network")
    with pytest.raises(Exception):  # noqa: B017 - a network member must be chosen
        services.feedback_request_create(
            actor=caseworker, child=child, instrument=instrument, channel=Channel.LINK
        )
    mother = child.network.get()
    request, _token = services.feedback_request_create(
        actor=caseworker,
        child=child,
        instrument=instrument,
        channel=Channel.LINK,
        network_member=mother,
    )
    assert request.respondent == "network"


# --- Alerts, trend and team numbers


def test_a_low_score_raises_an_alert_until_acknowledged(child, caseworker, client_for):
    _response, alerts = answer_feedback(child, caseworker, [2, 3, 2, 3, 2])
    assert [a.kind for a in alerts] == [AlertKind.LOW]
    client = client_for(caseworker)
    assert client.get(reverse("cases:start")).context["feedback_alerts"][0]["child_id"] == child.pk
    url = reverse("feedback:acknowledge", args=[child.pk, alerts[0].pk])
    assert client.post(url, {"note": ""}).status_code == 200
    assert client.post(url, {"note": "Talte med Emma om vores møder"}).status_code == 302
    assert client.get(reverse("cases:start")).context["feedback_alerts"] == []
    assert FeedbackAlert.objects.get().acknowledged_by == caseworker


def test_a_drop_since_last_time_raises_an_alert(child, caseworker):
    answer_feedback(child, caseworker, [10, 10, 10, 10, 10])
    _response, alerts = answer_feedback(child, caseworker, [7, 7, 7, 7, 7])
    assert [a.kind for a in alerts] == [AlertKind.DROP]


def test_how_are_things_raises_no_meeting_alert(child, caseworker):
    _response, alerts = answer_feedback(
        child, caseworker, [1, 1, 1, 1, 1], instrument_key="how_are_things"
    )
    assert alerts == []


def test_the_trend_on_the_childs_page_is_a_chart_with_a_table(
    child, caseworker, client_for, django_assert_max_num_queries
):
    client = client_for(caseworker)
    answer_feedback(child, caseworker, [8, 8, 8, 8, 8])
    with django_assert_max_num_queries(64) as few:
        client.get(reverse("cases:child", args=[child.pk]))
    for value in range(30):
        answer_feedback(child, caseworker, [value % 11] * 5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("cases:child", args=[child.pk]))
    trend = page.context["trend"]
    assert trend["count"] == 31 and len(trend["rows"]) == 20
    html = page.content.decode()
    assert "<polyline" in html and "<table" in html and 'role="img"' in html
    # Numbers in the SVG are never localised (Danish would write 80,0, which SVG rejects).
    assert 'y1="80.0"' in html


def test_leaders_see_team_numbers(child, caseworker, team_leader, client_for):
    from conftest import make_conversation

    conversation, _statement, _drawing = make_conversation(child, caseworker)
    request, _token = services.feedback_request_create(
        actor=caseworker,
        child=child,
        instrument=Instrument.objects.get(key="meeting"),
        channel=Channel.LINK,
        conversation=conversation,
    )
    response = services.response_for(request)
    for item, value in zip(request.version.items.all(), [8, 6, 4, 6, 6], strict=True):
        services.answer_item(response=response, item=item, value=value)
    services.complete(response=response)
    make_conversation(child, caseworker)  # a second meeting, without feedback
    assert client_for(caseworker).get(reverse("feedback:team")).status_code == 404
    rows = client_for(team_leader).get(reverse("feedback:team")).context["rows"]
    [row] = rows
    assert row["meetings"] == 2 and row["with_feedback"] == 1 and row["share"] == 0.5
    assert row["listened"] == Decimal(8) and row["had_say"] == Decimal(4)


def test_administrators_revise_instruments_without_touching_answered_versions(
    child, caseworker, administrator, client_for
):
    answer_feedback(child, caseworker, [8, 8, 8, 8, 8])
    client = client_for(administrator)
    version = InstrumentVersion.objects.get(instrument__key="meeting")
    page = client.get(f"/admin/feedback/instrumentversion/{version.pk}/change/")
    assert page.status_code == 200 and b'name="alert_below"' not in page.content  # read-only
    assert client.get("/admin/feedback/instrument/").status_code == 200


# --- A double tap on the last answer completes once


@pytest.mark.django_db(transaction=True)
def test_six_simultaneous_taps_on_the_last_answer_raise_one_alert_and_one_log_entry(
    child, caseworker
):
    """Six phones' worth of taps arrive at once on the last question (each a POST and the
    redirect's GET, in its own thread and database connection): the answer completes once."""
    import threading

    from django.db import connections

    from audit.models import AccessEvent
    from feedback.defaults import ensure_default_instruments

    ensure_default_instruments(Instrument, InstrumentVersion, Item)  # flushed between tests
    instrument = Instrument.objects.get(key="meeting", municipality=None)
    request, token = services.feedback_request_create(
        actor=caseworker, child=child, instrument=instrument, channel=Channel.LINK
    )
    response = services.response_for(request)
    items = list(request.version.items.all())
    for item in items[:-1]:
        services.answer_item(response=response, item=item, value=1)
    url = reverse("feedback:answer", args=[token])
    barrier = threading.Barrier(6)
    statuses, errors = [], []

    def tap():
        try:
            client = Client()
            barrier.wait()
            answer = client.post(url, {"item": items[-1].pk, "value": "0"})
            statuses.append((answer.status_code, client.get(url).status_code))
        except Exception as error:  # noqa: BLE001 - the test reports every failure below
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=tap) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert all(code < 500 for pair in statuses for code in pair), statuses
    assert FeedbackAlert.objects.filter(response=response).count() == 1
    assert AccessEvent.objects.filter(child_id=child.pk, record="feedback_answer").count() == 1
