"""The admin is tenant-scoped everywhere: every URL of every registered ModelAdmin — Django's,
django-simple-history's, the password page, a library's own — answers 404 to Roskilde's
administrator for an object of another municipality, for GET and POST, and nothing changes.

The test walks `admin.site._registry` and each ModelAdmin's `get_urls()`; a model it cannot make
an object of, or a URL it does not know how to fill, fails it, so a new registration or a library
upgrade cannot slip past."""

import re
import uuid
from html.parser import HTMLParser

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from accounts.checks import admin_is_tenant_scoped
from accounts.models import Role, Team
from api import services as api_services
from api.models import WebhookDelivery
from audit.models import ChainHead
from conftest import make_child, make_user
from feedback.models import Instrument, InstrumentVersion


class FormFields(HTMLParser):
    """The names and values a browser would submit from the page's forms."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button", "file", "image"):
                return
            default = "on" if kind == "checkbox" else ""
            self.data.setdefault(name, []).append(a.get("value", default))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.data.setdefault(self._select, []).append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data.setdefault(name, []).append("")

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_fields(html: str) -> dict[str, list[str]]:
    parser = FormFields()
    parser.feed(html)
    return parser.data


# What an attacker would change with a replayed form; fields a form does not have are ignored.
TAMPERED = {
    "on_call_email": "overtaget@example.org",
    "on_call_phone": "99 99 99 99",
    "email": "overtaget@example.org",
    "name": "Overtaget",
    "first_name": "Overtaget",
    "is_active": None,  # unticked: deactivated
    "role": Role.HEAD_OF_DEPARTMENT,
    "post": "yes",  # a delete page's confirmation
}


def tampered(fields: dict[str, list[str]], municipality_pk) -> dict[str, list[str]]:
    data = dict(fields)
    for name, value in TAMPERED.items():
        if value is None:
            data.pop(name, None)
        elif name in data or name == "post":
            data[name] = [value]
    if "municipality" in data:
        data["municipality"] = [str(municipality_pk)]  # moved into Roskilde
    return data


@pytest.fixture
def foreign(other_municipality, municipality):
    """One object of every registered model, of the other municipality (or of none), with the
    id of a historical version where the model keeps one."""
    faxe_admin = make_user("kbh-admin", Role.ADMINISTRATOR, other_municipality)
    faxe_team = Team.objects.create(municipality=other_municipality, name="Team Syd")
    faxe_worker = make_user(
        "kbh-rw", Role.CASEWORKER, other_municipality, faxe_team, email="rw@kbh.dk"
    )
    faxe_worker.first_name = "Changed once"
    faxe_worker.save()  # a second version to revert to
    other_municipality.on_call_email = "vagt@kbh.dk"
    other_municipality.save()
    faxe_child = make_child(other_municipality, faxe_worker)
    client, _token = api_services.api_client_create(actor=faxe_admin, name="KMD Nexus")
    webhook, _secret = api_services.webhook_create(
        actor=faxe_admin, client=client, url="https://nexus.kbh.dk/hook"
    )
    delivery = WebhookDelivery.objects.create(
        webhook=webhook, event_id=uuid.uuid4(), event="child.changed", child=faxe_child, payload={}
    )
    instrument = Instrument.objects.create(
        key="kbh", name_da="Kbh", name_en="Cph", municipality=other_municipality
    )
    version = InstrumentVersion.objects.create(instrument=instrument, number=1)
    now = timezone.now()
    attempt = {"user_agent": "x", "ip_address": "10.0.0.1", "username": "kbh-rw"}
    attempt |= {"http_accept": "*/*", "path_info": "/login/", "attempt_time": now}
    objects = {
        "accounts.Municipality": other_municipality,
        "accounts.Team": faxe_team,
        "accounts.User": faxe_worker,
        "auth.Group": Group.objects.create(name="kbh"),
        "otp_totp.TOTPDevice": TOTPDevice.objects.create(user=faxe_worker, name="kbh"),
        "axes.AccessAttempt": AccessAttempt.objects.create(
            **attempt, get_data="", post_data="", failures_since_start=1
        ),
        "axes.AccessLog": AccessLog.objects.create(**attempt),
        "axes.AccessFailureLog": AccessFailureLog.objects.create(**attempt),
        "django_tasks_database.DBTaskResult": DBTaskResult.objects.create(
            enqueued_at=now,
            args_kwargs={"args": [], "kwargs": {}},
            task_path="lifebook.tasks.send_lifebook_reminder",
            backend_name="default",
            run_after=now,
        ),
        "feedback.Instrument": instrument,
        "feedback.InstrumentVersion": version,
        "api.ApiClient": client,
        "api.Webhook": webhook,
        "api.WebhookDelivery": delivery,
    }
    return objects


def _oldest_version(obj):
    return obj.history.order_by("history_id").first().history_id


def _admin_urls(model_admin, obj, own, unknown) -> list[str]:
    """Every URL of the ModelAdmin with an object id, filled in with `obj`'s ids (and, for a
    URL with a second id, Roskilde's own object with the other municipality's version)."""
    base = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_changelist")
    urls = []
    for pattern in model_admin.get_urls():
        route = str(pattern.pattern)
        if route in ("", "add/"):
            continue  # no object in the URL: the list and the add form are scoped by queryset
        if route in (
            "<path:object_id>/",
            "<path:object_id>/change/",
            "<path:object_id>/history/",
            "<path:object_id>/delete/",
            "<id>/password/",
            "<int:pk>/config/",
            "<int:pk>/qrcode/",
        ):
            urls.append(base + re.sub(r"<[^>]+>", str(obj.pk), route))
        elif route == "^([^/]+)/history/([^/]+)/$":
            version = _oldest_version(obj)
            urls.append(f"{base}{obj.pk}/history/{version}/")
            urls.append(f"{base}{own.pk}/history/{version}/")
        else:
            unknown.append(f"{obj._meta.label}: {route}")
    return urls


def _snapshot(models) -> dict:
    state = {}
    for model in models:
        state[model._meta.label] = list(model._default_manager.order_by("pk").values())
        history = getattr(model, "history", None)
        if history is not None:
            state[f"{model._meta.label} history"] = history.count()
    state["admin log"] = LogEntry.objects.count()
    state["access log"] = list(ChainHead.objects.values())
    return state


def test_every_admin_url_answers_404_for_another_municipalitys_objects(
    administrator, municipality, team, caseworker, foreign, client_for
):
    operator = make_user("drift", "", None, is_superuser=True, is_staff=True)
    as_operator = client_for(operator)
    as_admin = client_for(administrator)
    own = {"accounts.Municipality": municipality, "accounts.Team": team}
    own["accounts.User"] = caseworker
    missing = [m._meta.label for m in admin.site._registry if m._meta.label not in foreign]
    assert missing == [], f"Give these registered models an object in `foreign`: {missing}"

    unknown: list[str] = []
    checked = 0
    for model, model_admin in admin.site._registry.items():
        obj = foreign[model._meta.label]
        for url in _admin_urls(model_admin, obj, own.get(model._meta.label), unknown):
            page = as_operator.get(url, follow=True)
            fields = form_fields(page.content.decode()) if page.status_code == 200 else {}
            data = tampered(fields, municipality.pk)
            before = _snapshot(admin.site._registry)
            response = as_admin.get(url)
            assert response.status_code == 404, f"GET {url}: {response.status_code}"
            response = as_admin.post(url, data)
            assert response.status_code == 404, f"POST {url}: {response.status_code}"
            assert _snapshot(admin.site._registry) == before, f"POST {url} changed data"
            checked += 1
        # The admin's "view on site" redirect names objects too.
        content_type = ContentType.objects.get_for_model(model)
        assert as_admin.get(f"/admin/r/{content_type.pk}/{obj.pk}/").status_code == 404
    assert unknown == [], f"Teach this test (and accounts.admin_scope) these URLs: {unknown}"
    assert checked > 50


def test_the_version_page_and_revert_are_scoped(
    administrator, municipality, other_municipality, client_for
):
    """The reproduced attack: the version page of another municipality, and its revert form."""
    other_municipality.on_call_email = "vagt@kbh.dk"
    other_municipality.save()
    version = _oldest_version(other_municipality)
    url = f"/admin/accounts/municipality/{other_municipality.pk}/history/{version}/"
    client = client_for(administrator)
    assert client.get(url).status_code == 404
    data = {"code": "101", "name": "Kbh", "on_call_email": "overtaget@example.org"}
    assert client.post(url, data).status_code == 404
    other_municipality.refresh_from_db()
    assert other_municipality.on_call_email == "vagt@kbh.dk"
    # Roskilde's own history still works for its administrator.
    own = f"/admin/accounts/municipality/{municipality.pk}/history/"
    assert client.get(own).status_code == 200
    assert client.get(f"{own}{_oldest_version(municipality)}/").status_code == 200


def test_lists_show_only_own_municipality_and_operators_see_all(
    administrator, caseworker, foreign, client_for
):
    client = client_for(administrator)
    users = client.get("/admin/accounts/user/").content.decode()
    assert caseworker.username in users and "kbh-rw" not in users
    assert "Team Syd" not in users  # not even among the filters
    municipalities = client.get("/admin/accounts/municipality/").content.decode()
    assert "Roskilde" in municipalities and "Københavns" not in municipalities
    # Library models of no municipality are not shown to administrators at all.
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 403
    operator = make_user("drift", "", None, is_superuser=True, is_staff=True)
    assert "kbh-rw" in client_for(operator).get("/admin/accounts/user/").content.decode()


def test_an_unscoped_registration_fails_the_system_check(db):
    assert admin_is_tenant_scoped() == []
    admin.site.register(ChainHead)  # a plain ModelAdmin
    try:
        errors = admin_is_tenant_scoped()
    finally:
        admin.site.unregister(ChainHead)
    assert [error.id for error in errors] == ["accounts.E001"]
