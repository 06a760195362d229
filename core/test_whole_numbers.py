"""Ids and answers in hand-made addresses and forms: only plain digits reach int() or the
database; "²", "٣" and twenty digits get the page without a choice, never a server error."""

import pytest
from django.urls import reverse

from conftest import make_conversation
from core.forms import whole_number


@pytest.mark.parametrize(
    ("value", "number"),
    [
        ("7", 7),
        ("007", 7),
        ("9" * 18, int("9" * 18)),
        ("9" * 19, None),
        ("²", None),
        ("٣", None),
        ("１", None),
        ("-1", None),
        ("", None),
        (" 1", None),
    ],
)
def test_whole_number_takes_only_plain_digits(value, number):
    assert whole_number(value) == number


@pytest.mark.parametrize("value", ["²", "٣", "9" * 30, "-1"])
def test_hand_made_ids_in_addresses_get_the_page(child, caseworker, client_for, value):
    client = client_for(caseworker)
    for name, query in [
        ("plans:complaint_new", {"decision": value}),
        ("plans:plan_new", {"decision": value}),
        ("feedback:ask", {"conversation": value}),
        ("conversations:plan", {"decision": value}),
    ]:
        response = client.get(reverse(name, args=[child.pk]), query)
        assert response.status_code == 200, (name, value)


def test_a_feedback_answer_in_other_digits_is_refused_with_the_childs_message(child, caseworker):
    from django.test import Client

    from feedback import services
    from feedback.models import Channel, Instrument

    make_conversation(child, caseworker)
    instrument = Instrument.objects.get(key="meeting", municipality=None)
    request, token = services.feedback_request_create(
        actor=caseworker, child=child, instrument=instrument, channel=Channel.LINK
    )
    item = request.version.items.first()
    answer = Client().post(
        reverse("feedback:answer", args=[token]), {"item": item.pk, "value": "²"}
    )
    assert answer.status_code == 400
    assert "Vælg et af svarene på skærmen" in answer.content.decode()
