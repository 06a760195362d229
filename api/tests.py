"""The case system's API: tokens of its own (created, rotated, revoked), the same access helper
and access log as the pages, idempotent upserts, changed-since pages, and an RFC 9457 problem
for every refusal — never a server error."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from api import services
from api.models import ApiToken
from audit.models import AccessEvent
from cases.cpr import make_cpr
from cases.models import Child, Decision
from cases.services import current_case
from conftest import make_conversation


@pytest.fixture
def client_and_token(administrator):
    return services.api_client_create(actor=administrator, name="Sagssystemet")


def call(token, method, path, body=None, **headers):
    client = Client()
    kwargs = {"content_type": "application/json"}
    if token:
        kwargs["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    if body is not None:
        kwargs["data"] = body if isinstance(body, str | bytes) else json.dumps(body)
    return getattr(client, method)(f"/api/v1{path}", **kwargs, **headers)


CHILD = {
    "cpr": make_cpr(timezone.localdate() - timedelta(days=9 * 365), 3),
    "first_name": "Noah",
    "last_name": "Berg",
    "caseworker": "rikke",
}


def test_upsert_is_idempotent_and_logged(client_and_token, caseworker):
    _client, token = client_and_token
    body = {**CHILD, "caseworker": caseworker.username}
    first = call(token, "put", "/children/SAG-1", body)
    assert first.status_code == 201, first.content
    again = call(token, "put", "/children/SAG-1", body)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    child = Child.objects.get(external_id="SAG-1")
    assert child.history.count() == 2  # created, given its id; the second call changed nothing
    renamed = call(token, "put", "/children/SAG-1", {**body, "first_name": "Noa"})
    assert (
        renamed.json()["first_name"] == "Noa" and child.assignments.get().caseworker == caseworker
    )
    assert AccessEvent.objects.filter(child=child, record="api:child", basis="case_system").exists()


def test_changed_since_pages_and_reads_respect_visibility(client_and_token, child, caseworker):
    _client, token = client_and_token
    conversation, statement, _drawing = make_conversation(child, caseworker)
    conversation.statements.create(
        text="Kun hvis jeg siger ja senere.", visibility="child_agrees_later"
    )
    Decision.objects.create(
        case=current_case(child),
        decided_on=timezone.localdate(),
        subject="Kontaktperson",
        finalised_at=timezone.now(),
        childs_view="Vil gerne have en voksen at tale med.",
    )
    page = call(token, "get", "/children?limit=1").json()
    assert page["count"] == 1 and page["items"][0]["id"] == child.pk
    later = call(
        token, "get", f"/children?changed_since={timezone.now().isoformat()}".replace("+", "%2B")
    )
    assert later.json()["count"] == 0
    talks = call(token, "get", "/conversations").json()["items"]
    texts = [s["text"] for c in talks for s in c["statements"]]
    assert statement.text in texts and "Kun hvis jeg siger ja senere." not in texts
    decisions = call(token, "get", "/decisions").json()["items"]
    assert decisions[0]["childs_view"].startswith("Vil gerne")
    assert AccessEvent.objects.filter(child=child, record="api:decisions").exists()


def test_rotated_tokens_run_out_and_revoked_ones_stop_at_once(
    client_and_token, administrator, child
):
    client, token = client_and_token
    new = services.api_token_rotate(actor=administrator, client=client)
    assert call(token, "get", "/children").status_code == 200  # the grace period
    ApiToken.objects.filter(prefix=token[:8]).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    expired = call(token, "get", "/children")
    assert expired.status_code == 401 and expired["Content-Type"] == "application/problem+json"
    assert call(new, "get", "/children").status_code == 200
    services.api_client_revoke(actor=administrator, client=client)
    assert call(new, "get", "/children").status_code == 401


def test_another_municipality_gets_nothing(client_and_token, child, foreign_caseworker):
    from accounts.models import Role
    from conftest import make_user

    admin = make_user("fremmed-admin", Role.ADMINISTRATOR, foreign_caseworker.municipality)
    _other, token = services.api_client_create(actor=admin, name="Andet system")
    assert call(token, "get", "/children").json()["count"] == 0
    child.external_id = "SAG-9"
    child.save()
    body = {**CHILD, "caseworker": foreign_caseworker.username}
    created = call(token, "put", "/children/SAG-9", body)
    assert created.status_code == 201  # its own child with the same case-system id
    assert Child.objects.get(pk=child.pk).first_name == "Emma"  # ours untouched


@pytest.mark.parametrize(
    "body, status",
    [
        ("{not json", 400),
        ({**CHILD, "first_name": 7}, 422),
        ({**CHILD, "unknown": "x"}, 422),
        ({"cpr": "1"}, 422),
        ({**CHILD, "cpr": "3213990000"}, 422),
        ({**CHILD, "caseworker": "nobody"}, 422),
    ],
)
def test_bad_input_is_a_problem_and_nothing_is_written(client_and_token, body, status):
    _client, token = client_and_token
    before = Child.objects.count()
    response = call(token, "put", "/children/SAG-2", body)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == status
    assert Child.objects.count() == before


def test_no_token_a_huge_payload_and_the_openapi_document(client_and_token, settings):
    _client, token = client_and_token
    assert call(None, "get", "/children").status_code == 401
    assert call("nonsense", "get", "/children").status_code == 401
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    huge = call(token, "put", "/children/SAG-3", {**CHILD, "languages": "x" * 5000})
    assert huge.status_code in (413, 422) and huge["Content-Type"] == "application/problem+json"
    document = Client().get("/api/v1/openapi.json")
    assert (
        document.status_code == 200 and "/api/v1/children/{external_id}" in document.json()["paths"]
    )


def test_the_operator_command(administrator, caseworker):
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = io.StringIO()
    call_command("api_client", "create", "Sagssystem", by=administrator.username, stdout=out)
    token = out.getvalue().rsplit(" ", 1)[-1].strip()
    assert call(token, "get", "/children").status_code == 200
    client_id = out.getvalue().split()[1]
    call_command("api_client", "revoke", client_id, by=administrator.username, stdout=out)
    assert call(token, "get", "/children").status_code == 401
    with pytest.raises(CommandError, match="Only an administrator"):
        call_command("api_client", "create", "x", by=caseworker.username, stdout=out)
