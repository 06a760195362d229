"""Taking back the handed-over screen is a sign-in: wrong passwords there count towards the same
lockout as the sign-in page (django-axes), each is logged, and once the account is locked not
even the right password gives the screen back."""

from django.test import Client
from django.urls import reverse

from accounts.test_signin import page_form, submit
from audit.models import AccessAction, AccessEvent
from conftest import PASSWORD
from feedback.models import Channel, Instrument


def _hand_over(client, child):
    """The caseworker hands the screen over from the page that asks for feedback."""
    ask = reverse("feedback:ask", args=[child.pk])
    page = client.get(ask)
    fields = page_form(page, "instrument")
    fields.update(instrument=Instrument.objects.get(key="meeting").pk, channel=Channel.SCREEN)
    return client.post(ask, fields)["Location"]


def test_wrong_passwords_at_the_screen_lock_the_account_like_sign_in(
    child, caseworker, client_for, settings
):
    client = client_for(caseworker)
    answer_url = _hand_over(client, child)
    unlock = reverse("feedback:unlock")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(unlock, {**page_form(client.get(unlock), "password"), "password": "gæt"})
    assert (
        AccessEvent.objects.filter(
            action=AccessAction.SIGN_IN_FAILED, user=caseworker, record="feedback screen unlock"
        ).count()
        == settings.AXES_FAILURE_LIMIT
    )
    # Locked: the right password gives neither the screen back ...
    refused = submit(client, unlock, client.get(unlock), password=PASSWORD)
    assert refused.status_code == 429
    assert client.get(reverse("cases:start"))["Location"] == answer_url
    # ... nor a sign-in anywhere else, as after wrong passwords on the sign-in page.
    elsewhere = Client().post(
        reverse("accounts:login"), {"username": caseworker.username, "password": PASSWORD}
    )
    assert elsewhere.status_code == 429


def test_wrong_passwords_on_the_sign_in_page_count_at_the_screen_too(
    child, caseworker, client_for, settings
):
    client = client_for(caseworker)
    answer_url = _hand_over(client, child)
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        Client().post(reverse("accounts:login"), {"username": caseworker.username, "password": "x"})
    unlock = reverse("feedback:unlock")
    last_try = submit(client, unlock, client.get(unlock), password="gæt igen")
    assert last_try.status_code == 429  # the limit's last failure locks the account
    refused = submit(client, unlock, client.get(unlock), password=PASSWORD)
    assert refused.status_code == 429
    assert client.get(reverse("cases:start"))["Location"] == answer_url


def test_the_right_password_gives_the_screen_back_and_forgets_earlier_mistakes(
    child, caseworker, client_for, settings
):
    client = client_for(caseworker)
    _hand_over(client, child)
    unlock = reverse("feedback:unlock")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        wrong = submit(client, unlock, client.get(unlock), password="gæt")
        assert wrong.status_code == 200 and "forkert" in wrong.content.decode()
    back = submit(client, unlock, client.get(unlock), password=PASSWORD)
    assert back["Location"] == reverse("cases:child", args=[child.pk])
    # As after a sign-in, the count starts again: one more typo does not lock the account.
    Client().post(reverse("accounts:login"), {"username": caseworker.username, "password": "x"})
    signed = Client().post(
        reverse("accounts:login"), {"username": caseworker.username, "password": PASSWORD}
    )
    assert signed.status_code == 302
