"""Attacks on a child's way into the portal are seen and stopped: wrong PINs are logged against
the child and shown on the child's page; unknown codes are logged and throttled per client
address; and a code paused three times within 24 hours is closed and the caseworker told."""

from datetime import timedelta
from unittest import mock

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.test_signin import page_form, submit
from audit.models import AccessAction, AccessEvent
from conftest import IMMEDIATE_TASKS, make_portal_child
from portal.models import PortalAccess, RevokedReason, SignInRecord

IMMEDIATE = IMMEDIATE_TASKS  # every queue, so a task module first imported here is valid


def _try_pin(client, code, pin):
    """The child's two steps, as the sign-in page offers them: the code, then the PIN."""
    login = reverse("portal:login")
    step = submit(client, login, client.get(login), code=code)
    if not (step.status_code == 200 and "pin" in _fields(step)):
        return step
    return submit(client, login, step, pin=pin)


def _fields(response):
    try:
        return page_form(response, "pin")
    except AssertionError:
        return {}


def _pause(client, code, settings):
    """Wrong PINs until the access is paused."""
    for _attempt in range(settings.STEMME_PORTAL_PIN_TRIES):
        _try_pin(client, code, "0000")


def test_wrong_pins_are_logged_against_the_child_and_shown_on_the_childs_page(
    child, caseworker, client_for
):
    _access, code, _signed_in = make_portal_child(child, caseworker)
    attacker = Client()
    for _attempt in range(3):
        wrong = _try_pin(attacker, code, "1111")
        assert "passer ikke" in wrong.content.decode()
    logged = AccessEvent.objects.filter(
        action=AccessAction.SIGN_IN_FAILED, record=SignInRecord.WRONG_PIN
    )
    assert logged.count() == 3 and set(logged.values_list("child", flat=True)) == {child.pk}
    page = client_for(caseworker).get(reverse("cases:child", args=[child.pk])).content.decode()
    assert "3 forkerte PIN-koder med barnets kode de seneste 24 timer" in page
    # Nothing is shown when there were none.
    quiet = _sibling_with_portal(child, caseworker)
    calm = client_for(caseworker).get(reverse("cases:child", args=[quiet.pk])).content.decode()
    assert "forkert PIN" not in calm and "forkerte PIN" not in calm


def _sibling_with_portal(child, caseworker):
    from conftest import make_child

    sibling = make_child(child.municipality, caseworker, serial=7, first_name="Alba")
    make_portal_child(sibling, caseworker)
    return sibling


def test_unknown_codes_are_logged_and_throttled_per_client_address(child, caseworker, settings):
    settings.STEMME_PORTAL_CODE_FAILURES = 4
    _access, code, _signed_in = make_portal_child(child, caseworker)
    guesser = Client(REMOTE_ADDR="203.0.113.50")
    login = reverse("portal:login")
    for guess in ("AAAA-BBBB-CCCC", "DDDD-EEEE-FFFF"):
        answer = submit(guesser, login, guesser.get(login), code=guess)
        assert "Koden er ikke rigtig" in answer.content.decode()
    # Skipping the code step (straight to the PIN with a made-up code) counts just the same.
    for guess in ("GGGG-HHHH-JJJJ", "KKKK-MMMM-NNNN"):
        guesser.post(login, {"step": "pin", "code": guess, "pin": "1234"})
    assert (
        AccessEvent.objects.filter(
            action=AccessAction.SIGN_IN_FAILED,
            record=f"{SignInRecord.UNKNOWN_CODE} 203.0.113.50",
        ).count()
        == 4
    )
    # The limit is reached: from this address not even the child's real code is looked at ...
    stopped = submit(guesser, login, guesser.get(login), code=code)
    assert "for mange forsøg herfra" in stopped.content.decode()
    assert not _fields(stopped)  # no PIN step
    stopped_pin = guesser.post(login, {"step": "pin", "code": code, "pin": "2468"})
    assert (
        stopped_pin.status_code == 200 and "for mange forsøg herfra" in stopped_pin.content.decode()
    )
    # ... while the child signs in from anywhere else.
    home = _try_pin(Client(REMOTE_ADDR="192.0.2.50"), code, "2468")
    assert home.status_code == 302 and home["Location"] == reverse("portal:home")


def test_three_pauses_within_a_day_close_the_code_and_tell_the_caseworker(
    child, caseworker, client_for, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    settings.STEMME_PORTAL_PIN_TRIES = 2
    caseworker.email = "rikke@kommune.dk"
    caseworker.save()
    access, code, _signed_in = make_portal_child(child, caseworker)
    attacker = Client()
    for _pause_number in range(2):
        _pause(attacker, code, settings)
        PortalAccess.objects.filter(pk=access.pk).update(locked_until=None)  # the pause is over
    # Two pauses: the child still gets in with the right PIN.
    assert _try_pin(Client(), code, "2468").status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        _pause(attacker, code, settings)
    access.refresh_from_db()
    assert access.revoked_at is not None and access.revoked_reason == RevokedReason.WRONG_PINS
    assert not access.user.is_active  # open sessions end on their next request
    # The right PIN no longer opens it, and the code now tells nothing.
    closed = _try_pin(Client(), code, "2468")
    assert closed.status_code == 200 and "Koden er ikke rigtig" in closed.content.decode()
    # The caseworker is told by e-mail (naming no child) and on the child's page.
    (message,) = mail.outbox
    assert message.to == [caseworker.email] and child.first_name not in message.body
    assert "lukket" in message.subject
    page = client_for(caseworker).get(reverse("cases:child", args=[child.pk])).content.decode()
    assert "Barnets kode blev lukket" in page and "forkerte PIN-koder" in page
    assert AccessEvent.objects.filter(child=child, record=SignInRecord.CLOSED).count() == 1
    # A new code starts afresh and the warning about the closed code goes.
    client_for(caseworker).post(reverse("portal:access", args=[child.pk]), {"action": "create"})
    page = client_for(caseworker).get(reverse("cases:child", args=[child.pk])).content.decode()
    assert "Barnets kode blev lukket" not in page


def test_pauses_older_than_a_day_do_not_close_the_code(child, caseworker, settings):
    settings.STEMME_PORTAL_PIN_TRIES = 2
    earlier = timezone.now() - timedelta(hours=25)
    with mock.patch("django.utils.timezone.now", return_value=earlier):
        access, code, _signed_in = make_portal_child(child, caseworker)
        for _pause_number in range(2):
            _pause(Client(), code, settings)
            PortalAccess.objects.filter(pk=access.pk).update(locked_until=None)
    _pause(Client(), code, settings)
    access.refresh_from_db()
    assert access.revoked_at is None and access.is_locked()
    # Within the day, the same three pauses close it.
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(hours=1)):
        _pause(Client(), code, settings)
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(hours=2)):
        _pause(Client(), code, settings)
    access.refresh_from_db()
    assert access.revoked_at is not None
