"""An administrator never reaches child data by the back door: nobody changes their own role;
role changes, activations, deactivations, password and second-factor resets are security events
in the access log, shown to the head of department, and the person is told by e-mail; an
administrator never learns a working password. Everything is done through the admin's own pages:
GET the page, submit its form's fields."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.models import Role, User
from accounts.test_admin_scope import form_fields
from audit.models import AccessAction, AccessEvent
from conftest import IMMEDIATE_TASKS, PASSWORD, make_user

IMMEDIATE = IMMEDIATE_TASKS  # every queue, so a task module first imported here is valid


@pytest.fixture
def as_admin(administrator, client_for, settings):
    settings.TASKS = IMMEDIATE
    return client_for(administrator)


@pytest.fixture
def rikke(caseworker):
    caseworker.email = "rikke@roskilde.dk"
    caseworker.save()
    return caseworker


def submit(client, url, capture, **changes):
    """GET the page, change some of its form's fields, POST it; the e-mails go out."""
    fields = form_fields(client.get(url).content.decode())
    for name, value in changes.items():
        if value is None:
            fields.pop(name, None)
        else:
            fields[name] = [value] if isinstance(value, str) else value
    with capture(execute=True):
        return client.post(url, fields)


def sign_in(username, password) -> int:
    response = Client().post(
        reverse("accounts:login"), {"username": username, "password": password}
    )
    return response.status_code


def test_nobody_changes_their_own_role(administrator, as_admin, django_capture_on_commit_callbacks):
    administrator.role = Role.HEAD_OF_DEPARTMENT
    administrator.save()
    head_era = administrator.history.latest("history_id").history_id
    administrator.role = Role.ADMINISTRATOR
    administrator.save()
    url = f"/admin/accounts/user/{administrator.pk}/change/"
    assert "role" not in form_fields(as_admin.get(url).content.decode())  # shown read-only
    submit(as_admin, url, django_capture_on_commit_callbacks, role=Role.HEAD_OF_DEPARTMENT)
    administrator.refresh_from_db()
    assert administrator.role == Role.ADMINISTRATOR

    # Reverting one's own account to a version from when one was head of department.
    version = f"/admin/accounts/user/{administrator.pk}/history/{head_era}/"
    response = submit(as_admin, version, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "Ingen kan ændre sin egen rolle" in response.content.decode()
    administrator.refresh_from_db()
    assert administrator.role == Role.ADMINISTRATOR
    assert not AccessEvent.objects.filter(action=AccessAction.ROLE_CHANGE).exists()

    # The service every path writes through refuses it too, for an operator as well.
    administrator.role = Role.HEAD_OF_DEPARTMENT
    with pytest.raises(ValidationError):
        services.user_update(actor=administrator, user=administrator)


def test_a_role_change_is_a_security_event_the_head_sees_and_the_person_is_told(
    administrator, rikke, head, as_admin, client_for, django_capture_on_commit_callbacks
):
    url = f"/admin/accounts/user/{rikke.pk}/change/"
    response = submit(as_admin, url, django_capture_on_commit_callbacks, role=Role.TEAM_LEADER)
    assert response.status_code == 302
    rikke.refresh_from_db()
    assert rikke.role == Role.TEAM_LEADER
    event = AccessEvent.objects.get(action=AccessAction.ROLE_CHANGE)
    assert event.user == administrator and event.municipality_code == "265"
    (message,) = mail.outbox
    assert message.to == ["rikke@roskilde.dk"] and "Teamleder" in message.body
    assert "Admin Test" in message.body  # who did it

    page = client_for(head).get(reverse("audit:log")).content.decode()
    assert "Ændrede en brugers rolle" in page
    assert "Rikke Test (rikke): Rådgiver → Teamleder" in page
    assert "caseworker→team_leader" not in page  # words, not code names


def test_deactivation_and_activation_are_security_events(
    rikke, as_admin, django_capture_on_commit_callbacks
):
    url = f"/admin/accounts/user/{rikke.pk}/change/"
    submit(as_admin, url, django_capture_on_commit_callbacks, is_active=None)
    rikke.refresh_from_db()
    assert not rikke.is_active and rikke.left_on is not None
    submit(as_admin, url, django_capture_on_commit_callbacks, is_active="on")
    rikke.refresh_from_db()
    assert rikke.is_active
    # The list's action as well.
    submit(
        as_admin,
        "/admin/accounts/user/",
        django_capture_on_commit_callbacks,
        action="deactivate",
        _selected_action=str(rikke.pk),
    )
    rikke.refresh_from_db()
    assert not rikke.is_active
    actions = list(AccessEvent.objects.order_by("sequence").values_list("action", flat=True))
    assert [a for a in actions if a.startswith("user_")] == [
        AccessAction.USER_DEACTIVATE,
        AccessAction.USER_ACTIVATE,
        AccessAction.USER_DEACTIVATE,
    ]
    assert [m.to for m in mail.outbox] == [["rikke@roskilde.dk"]] * 3
    assert "deaktiveret" in mail.outbox[0].body and "deaktiveret" not in mail.outbox[1].body


def test_a_password_reset_sends_a_one_use_link_and_the_administrator_learns_nothing(
    rikke, as_admin, django_capture_on_commit_callbacks
):
    change = as_admin.get(f"/admin/accounts/user/{rikke.pk}/change/").content.decode()
    url = f"/admin/accounts/user/{rikke.pk}/password/"
    assert "../password/" in change or url in change
    page = as_admin.get(url).content.decode()
    assert 'type="password"' not in page  # the administrator types no password
    response = submit(as_admin, url, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    rikke.refresh_from_db()
    assert not rikke.has_usable_password()
    assert sign_in("rikke", PASSWORD) == 200  # the old password no longer works
    assert AccessEvent.objects.filter(action=AccessAction.PASSWORD_RESET).count() == 1

    (message,) = mail.outbox
    assert message.to == ["rikke@roskilde.dk"]
    link = re.search(r"https?://\S+", message.body).group(0)
    path = link.split("127.0.0.1:8000", 1)[-1]
    person = Client()
    form_page = person.get(path, follow=True)
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else path
    new = "a brand new passphrase 2026"
    response = person.post(set_url, {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    assert sign_in("rikke", new) == 302
    # The link works once.
    again = Client().get(path, follow=True)
    assert "har været brugt" in again.content.decode()


def test_a_reset_without_an_e_mail_address_is_refused_clearly(
    caseworker, as_admin, django_capture_on_commit_callbacks
):
    url = f"/admin/accounts/user/{caseworker.pk}/password/"
    assert "ingen e-mailadresse" in as_admin.get(url).content.decode()
    response = as_admin.post(url, follow=True)
    assert "ingen e-mailadresse" in response.content.decode()
    caseworker.refresh_from_db()
    assert caseworker.has_usable_password()


def test_a_second_factor_reset_is_a_security_event_and_the_person_is_told(
    rikke, head, as_admin, client_for, django_capture_on_commit_callbacks
):
    device = TOTPDevice.objects.create(user=rikke, name="phone", confirmed=True)
    old_key = device.key
    submit(
        as_admin,
        "/admin/accounts/user/",
        django_capture_on_commit_callbacks,
        action="reset_second_factor",
        _selected_action=str(rikke.pk),
    )
    device.refresh_from_db()
    assert device.key != old_key and not device.confirmed
    assert AccessEvent.objects.filter(action=AccessAction.SECOND_FACTOR_RESET).count() == 1
    (message,) = mail.outbox
    assert message.to == ["rikke@roskilde.dk"] and "godkendelsesapp" in message.body
    page = client_for(head).get(reverse("audit:log")).content.decode()
    assert "Nulstillede en brugers andet trin" in page


def test_a_new_user_chooses_their_own_password(
    municipality, team, as_admin, django_capture_on_commit_callbacks
):
    page = as_admin.get("/admin/accounts/user/add/").content.decode()
    assert 'type="password"' not in page
    response = submit(
        as_admin,
        "/admin/accounts/user/add/",
        django_capture_on_commit_callbacks,
        username="ny",
        first_name="Ny",
        last_name="Kollega",
        email="ny@roskilde.dk",
        role=Role.CASEWORKER,
        team=str(team.pk),
    )
    assert response.status_code == 302
    user = User.objects.get(username="ny")
    assert user.municipality == municipality and not user.has_usable_password()
    assert AccessEvent.objects.get(action=AccessAction.ROLE_CHANGE).what.endswith("Rådgiver")
    (message,) = mail.outbox
    assert message.to == ["ny@roskilde.dk"] and "/password/set/" in message.body


def test_an_operators_change_is_filed_under_the_persons_municipality(
    rikke, head, client_for, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    operator = make_user("drift", "", None, is_superuser=True, is_staff=True)
    url = f"/admin/accounts/user/{rikke.pk}/change/"
    response = submit(
        client_for(operator), url, django_capture_on_commit_callbacks, role=Role.TEAM_LEADER
    )
    assert response.status_code == 302
    event = AccessEvent.objects.get(action=AccessAction.ROLE_CHANGE)
    assert event.user == operator and event.municipality_code == "265"
    page = client_for(head).get(reverse("audit:log")).content.decode()
    assert "Rikke Test (rikke): Rådgiver → Teamleder" in page
    assert [m.to for m in mail.outbox] == [["rikke@roskilde.dk"]]


def test_an_e_mail_change_is_told_to_the_old_address_too(
    rikke, as_admin, django_capture_on_commit_callbacks
):
    """Where the reset link goes is how an account is taken: the old address hears of it."""
    url = f"/admin/accounts/user/{rikke.pk}/change/"
    submit(as_admin, url, django_capture_on_commit_callbacks, email="ny@example.org")
    assert AccessEvent.objects.filter(action=AccessAction.EMAIL_CHANGE).count() == 1
    (message,) = mail.outbox
    assert message.to == ["rikke@roskilde.dk", "ny@example.org"]
    assert "ny@example.org" in message.body


def test_no_reset_link_goes_to_a_freshly_changed_address(
    rikke, as_admin, django_capture_on_commit_callbacks
):
    """Change the address to one's own, then reset: refused until the old address has had a day
    to react."""
    change = f"/admin/accounts/user/{rikke.pk}/change/"
    submit(as_admin, change, django_capture_on_commit_callbacks, email="admin@example.org")
    reset = f"/admin/accounts/user/{rikke.pk}/password/"
    response = as_admin.post(reset, follow=True)
    assert "ændret for mindre end 24 timer siden" in response.content.decode()
    rikke.refresh_from_db()
    assert rikke.has_usable_password()
    assert not AccessEvent.objects.filter(action=AccessAction.PASSWORD_RESET).exists()
    # A day later the link may go there (the old address was told of the change at once).
    rikke.history.update(history_date=timezone.now() - timedelta(hours=25))
    with django_capture_on_commit_callbacks(execute=True):
        as_admin.post(reset)
    rikke.refresh_from_db()
    assert not rikke.has_usable_password()
    assert mail.outbox[-1].to == ["admin@example.org"]
