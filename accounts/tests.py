"""Sign-in: password, second factor for staff, lockout, idle expiry; admin for administrators."""

import time
from datetime import timedelta
from urllib.parse import quote

from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role, User
from conftest import PASSWORD, make_user


def _token(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _forget_throttling(device: TOTPDevice) -> None:
    """A wrong code makes the device wait before the next try; tests do not wait."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None, last_t=-1
    )


def _sign_in(client, user):
    return client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})


def test_staff_must_set_up_and_use_a_second_factor(caseworker, child):
    client = Client()
    response = _sign_in(client, caseworker)
    assert response.status_code == 302
    # Any page now leads to the enrolment of an authenticator.
    response = client.get(reverse("cases:child", args=[child.pk]))
    child_page = reverse("cases:child", args=[child.pk])
    assert (
        response["Location"] == f"{reverse('accounts:otp_setup')}?next={quote(child_page, safe='')}"
    )
    page = client.get(reverse("accounts:otp_setup"))
    assert b"<svg" in page.content  # the QR code, drawn inline without scripts
    device = TOTPDevice.objects.get(user=caseworker)
    assert client.post(reverse("accounts:otp_setup"), {"token": "000000"}).status_code == 200
    _forget_throttling(device)
    done = client.post(
        f"{reverse('accounts:otp_setup')}?next={child_page}", {"token": _token(device)}
    )
    assert done.status_code == 302 and done["Location"] == child_page  # back where they were going
    assert client.get(reverse("cases:child", args=[child.pk])).status_code == 200

    # Next sign-in asks for the code of the confirmed device.
    client = Client()
    _sign_in(client, caseworker)
    assert client.get(reverse("cases:start"))["Location"].startswith(reverse("accounts:otp_verify"))
    response = client.post(reverse("accounts:otp_verify"), {"token": "12ab"})
    assert response.status_code == 200 and response.context["form"].errors
    _forget_throttling(device)
    assert client.post(reverse("accounts:otp_verify"), {"token": _token(device)}).status_code == 302
    assert client.get(reverse("cases:start")).status_code == 200


def test_contributors_sign_in_without_a_second_factor(foster_carer, child):
    client = Client()
    _sign_in(client, foster_carer)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200 and "Emmy" in response.content.decode()


@override_settings(STEMME_REQUIRE_2FA=False)
def test_demo_without_second_factor_says_so_on_the_sign_in_page(caseworker):
    page = Client().get(reverse("accounts:login")).content.decode()
    assert "Demo" in page
    client = Client()
    _sign_in(client, caseworker)
    assert client.get(reverse("cases:start")).status_code == 200


def test_sign_in_page_does_not_mention_demo_when_second_factor_is_required(db):
    assert "Demo" not in Client().get(reverse("accounts:login")).content.decode()


def test_account_locks_after_repeated_failures(caseworker, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(
            reverse("accounts:login"), {"username": caseworker.username, "password": "wrong"}
        )
    assert response.status_code in (403, 429)
    # Even the right password is refused while the account is locked.
    response = _sign_in(Client(), caseworker)
    assert response.status_code in (403, 429)
    assert "locked" in response.content.decode() or "låst" in response.content.decode()


def test_wrong_password_gets_a_clear_message(caseworker):
    response = Client().post(
        reverse("accounts:login"), {"username": caseworker.username, "password": "nope"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_production_hashes_passwords_with_argon2():
    from stemme import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        user = User(username="x")
        user.set_password(PASSWORD)
        assert user.password.startswith("argon2")


def test_idle_session_expires(caseworker, client_for, settings):
    client = client_for(caseworker)
    assert client.get(reverse("cases:start")).status_code == 200
    session = Session.objects.get()
    assert session.expire_date <= timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    # Idle past the timeout: the stored session has expired and the user must sign in again.
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("cases:start"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_each_request_renews_the_idle_timer(caseworker, client_for, settings):
    settings.STEMME_SESSION_REFRESH_SECONDS = 1
    client = client_for(caseworker)
    client.get(reverse("cases:start"))
    first = Session.objects.get().expire_date
    time.sleep(1.1)
    client.get(reverse("cases:start"))
    assert Session.objects.get().expire_date > first


def test_pages_within_a_minute_do_not_write_the_session(caseworker, client_for):
    """SQLite has one writer: a page that only reads must not queue behind it for the session."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(caseworker)
    client.get(reverse("cases:start"))  # renews the timer once
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("cases:start"))
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if "django_session" in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")
    ]
    assert writes == []


def test_sign_out_needs_post(caseworker, client_for):
    client = client_for(caseworker)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("cases:start")).status_code == 302


def test_admin_is_for_administrators_only(caseworker, administrator, client_for):
    response = client_for(caseworker).get("/admin/", follow=True)
    assert response.status_code == 403
    anonymous = Client().get("/admin/", follow=True)
    assert anonymous.redirect_chain[-1][0].startswith(reverse("accounts:login"))
    assert client_for(administrator).get("/admin/").status_code == 200


def test_administrator_manages_users_of_own_municipality_only(
    administrator, caseworker, foreign_caseworker, client_for
):
    client = client_for(administrator)
    page = client.get("/admin/accounts/user/").content.decode()
    assert caseworker.username in page and foreign_caseworker.username not in page
    assert client.get(f"/admin/accounts/user/{foreign_caseworker.pk}/change/").status_code in (
        302,
        404,
    )
    # Nothing can be deleted, not even a user.
    assert client.get(f"/admin/accounts/user/{caseworker.pk}/delete/").status_code == 403


def test_administrator_creates_a_caseworker_in_own_municipality(
    administrator, municipality, other_municipality, team, client_for
):
    client = client_for(administrator)
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "ny",
            "email": "ny@roskilde.dk",
            "municipality": other_municipality.pk,  # forged: ignored, own municipality is used
            "role": Role.CASEWORKER,
            "team": team.pk,
        },
    )
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert User.objects.get(username="ny").municipality == municipality
    else:
        assert not User.objects.filter(username="ny", municipality=other_municipality).exists()


def test_analyst_sees_no_child_names(analyst, child, client_for):
    page = client_for(analyst).get(reverse("core:home"), follow=True).content.decode()
    assert "Emma" not in page and "Emmy" not in page


def test_roles_land_on_their_own_page(municipality, team, client_for):
    landing = {
        Role.CASEWORKER: reverse("cases:start"),
        Role.TEAM_LEADER: reverse("continuity:team"),
        Role.HEAD_OF_DEPARTMENT: reverse("continuity:team"),
        Role.ADMINISTRATOR: reverse("admin:index"),
    }
    for role, url in landing.items():
        user = make_user(f"u-{role}", role, municipality, team)
        assert client_for(user).get(reverse("core:home"))["Location"] == url
