"""The case system's API: tokens of its own (created, rotated, revoked), the same access helper
and access log as the pages, idempotent upserts, changed-since pages, and an RFC 9457 problem
for every refusal — never a server error."""

import json
from datetime import date, timedelta

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
    assert child.history.count() == 1  # created with its id; the second call changed nothing
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


# --- The case's course, the network and the caseworker, keyed on the case system's ids -------


def _child_via_api(token, caseworker, external_id="SAG-10", serial=4):
    body = {
        **CHILD,
        "cpr": make_cpr(timezone.localdate() - timedelta(days=12 * 365), serial),
        "caseworker": caseworker.username,
    }
    response = call(token, "put", f"/children/{external_id}", body)
    assert response.status_code == 201, response.content
    return Child.objects.get(pk=response.json()["id"])


def test_cases_measures_placements_and_network_are_upserted(client_and_token, caseworker):
    from cases.models import Case, Measure, NetworkMember

    _client, token = client_and_token
    child = _child_via_api(token, caseworker)
    opened = call(token, "put", "/children/SAG-10/cases/S-1", {"opened_on": "2026-01-05"})
    assert opened.status_code == 200 and opened.json()["outcome"] == "updated"
    assert Case.objects.filter(child=child).count() == 1  # Stemme's own case was taken over
    again = call(token, "put", "/children/SAG-10/cases/S-1", {"opened_on": "2026-01-05"})
    assert again.json()["outcome"] == "unchanged"

    placement = {
        "kind": "foster_care",
        "place": "Familien Holm",
        "started_on": "2026-02-01",
        "case": "S-1",
    }
    created = call(token, "put", "/children/SAG-10/measures/M-1", placement)
    assert created.json()["outcome"] == "created"
    assert Measure.objects.get(pk=created.json()["id"]).is_placement
    assert call(token, "put", "/children/SAG-10/measures/M-1", placement).json()["outcome"] == (
        "unchanged"
    )
    ended = call(
        token,
        "put",
        "/children/SAG-10/measures/M-1",
        {**placement, "ended_on": "2026-03-01", "end_kind": "unplanned"},
    )
    assert ended.json()["outcome"] == "updated"
    measure = Measure.objects.get(external_id="M-1")
    assert measure.end_kind == "unplanned" and measure.history.count() == 2
    refused = call(
        token, "put", "/children/SAG-10/measures/M-1", {**placement, "ended_on": "2026-03-01"}
    )
    assert refused.status_code == 422  # an end must say whether it was planned

    mother = {"name": "Lise Berg", "relation": "parent", "holds_custody": True}
    assert call(token, "put", "/children/SAG-10/network/P-1", mother).json()["outcome"] == (
        "created"
    )
    assert NetworkMember.objects.get(external_id="P-1").holds_custody
    unknown = call(token, "put", "/children/SAG-404/network/P-1", mother)
    assert unknown.status_code == 404 and unknown["Content-Type"] == "application/problem+json"


def test_a_new_caseworker_from_the_case_system_starts_a_handover(
    client_and_token, caseworker, colleague
):
    from continuity.models import Handover

    _client, token = client_and_token
    child = _child_via_api(token, caseworker)
    same = call(token, "put", "/children/SAG-10/caseworker", {"caseworker": caseworker.username})
    assert same.json()["outcome"] == "unchanged"
    changed = call(token, "put", "/children/SAG-10/caseworker", {"caseworker": colleague.username})
    assert changed.json()["outcome"] == "handover_started"
    handover = Handover.objects.get(child=child)
    assert handover.to_caseworker == colleague and handover.from_caseworker == caseworker
    twice = call(token, "put", "/children/SAG-10/caseworker", {"caseworker": colleague.username})
    assert twice.json()["outcome"] == "unchanged"


def test_a_batch_is_all_or_nothing_and_names_every_refused_item(client_and_token, caseworker):
    _client, token = client_and_token
    items = [
        {
            **CHILD,
            "external_id": f"B-{n}",
            "cpr": make_cpr(timezone.localdate() - timedelta(days=8 * 365 + n), 5),
            "caseworker": caseworker.username,
        }
        for n in range(3)
    ]
    stranger = {**items[0], "external_id": "B-9", "cpr": make_cpr(date(2015, 1, 1), 9)}
    bad = [*items, {**stranger, "caseworker": "ingen"}, {**items[1], "external_id": "B-8"}]
    refused = call(token, "post", "/batches/children", {"items": bad})
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {
            "loc": ["items", 3, "caseworker"],
            "msg": "Der er ingen aktiv rådgiver med det brugernavn.",
        },
        {"loc": ["items", 4, "cpr"], "msg": "Et barn med dette CPR-nummer er allerede oprettet."},
    ]
    assert not Child.objects.filter(external_id__startswith="B-").exists()
    done = call(token, "post", "/batches/children", {"items": items})
    assert done.status_code == 200 and done.json()["created"] == 3
    again = call(token, "post", "/batches/children", {"items": items})
    assert again.json()["unchanged"] == 3
    assert AccessEvent.objects.filter(record="api:child").count() == 6


def test_plans_and_feedback_are_read_for_filing(client_and_token, child, caseworker):
    from conftest import answer_feedback
    from plans import services as plan_services

    _client, token = client_and_token
    plan = plan_services.plan_create(
        actor=caseworker, child=child, next_review_on=timezone.localdate() + timedelta(days=90)
    )
    plan_services.goal_add(
        actor=caseworker,
        plan=plan,
        childs_words="Jeg vil have en ven i klassen.",
        professional_goal="Social trivsel i skolen.",
        target_date=timezone.localdate() + timedelta(days=60),
    )
    answer_feedback(child, caseworker, [8, 9, 7, 8, 9])
    plans = call(token, "get", "/plans").json()
    assert plans["items"][0]["goals"][0]["childs_words"] == "Jeg vil have en ven i klassen."
    feedback = call(token, "get", "/feedback").json()
    item = feedback["items"][0]
    assert item["instrument"] == "meeting" and len(item["answers"]) == 5
    assert float(item["score"]) > 7
    assert AccessEvent.objects.filter(child=child, record="api:feedback").exists()


@pytest.mark.parametrize(
    "path, body",
    [
        ("/children/SAG-1/cases/S-1", {"opened_on": "0001-01-01"}),
        ("/children/SAG-1/cases/S-1", {"opened_on": "2026-01-01", "closed_on": "2025-01-01"}),
        ("/children/SAG-1/measures/M-1", {"kind": "spaceship", "started_on": "2026-01-01"}),
        ("/children/SAG-1/network/P-1", {"name": "A\x00B", "relation": "parent"}),
        ("/children/SAG-1/caseworker", {"caseworker": "ingen"}),
    ],
)
def test_bad_course_input_is_a_problem(client_and_token, caseworker, path, body):
    _client, token = client_and_token
    _child_via_api(token, caseworker, external_id="SAG-1")
    response = call(token, "put", path, body)
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"


def test_an_id_of_another_municipality_is_not_found(client_and_token, child, foreign_caseworker):
    from accounts.models import Role
    from conftest import make_user

    child.external_id = "SAG-77"
    child.save()
    admin = make_user("fremmed-admin", Role.ADMINISTRATOR, foreign_caseworker.municipality)
    _other, token = services.api_client_create(actor=admin, name="Andet system")
    response = call(
        token, "put", "/children/SAG-77/network/P-1", {"name": "X", "relation": "other"}
    )
    assert response.status_code == 404
    assert not child.network.filter(external_id="P-1").exists()


# --- Webhooks: signed, retried with backoff, visible when they fail --------------------------


class _Receiver:
    """A real HTTP server on the loopback that answers with the statuses it is given."""

    def __init__(self, statuses):
        import http.server
        import threading

        self.statuses = list(statuses)
        self.received = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.received.append((dict(self.headers), body))
                self.send_response(outer.statuses.pop(0) if outer.statuses else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


def _run_worker():
    import io

    from django.core.management import call_command

    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO())


# The worker closes its database connection after a batch, as in production: no test transaction.
@pytest.mark.django_db(transaction=True)
def test_a_final_decision_is_announced_signed_and_retried(
    client_and_token, administrator, child, caseworker
):
    from api import webhooks
    from api.models import WebhookDelivery
    from plans import services as plan_services

    client, _token = client_and_token
    receiver = _Receiver([503])
    try:
        hook, secret = services.webhook_create(actor=administrator, client=client, url=receiver.url)
        decision = Decision.objects.create(
            case=current_case(child),
            decided_on=timezone.localdate(),
            subject="Kontaktperson",
            childs_view="Vil gerne have en voksen at tale med.",
            how_weighed="Emmas ønske vejede tungt.",
            explanation_for_child="Du får en voksen at tale med.",
        )
        make_conversation(child, caseworker, kind="before_decision", decision=decision)
        plan_services.decision_make_final(actor=caseworker, decision=decision)
        delivery = WebhookDelivery.objects.get(event="decision.final")
        _run_worker()
        delivery.refresh_from_db()
        assert delivery.state == "pending" and delivery.attempts == 1
        assert delivery.last_status == 503 and delivery.next_attempt_at > timezone.now()
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.update(run_after=timezone.now() - timedelta(seconds=1))
        _run_worker()
        delivery.refresh_from_db()
        assert delivery.state == "delivered" and delivery.attempts == 2
        headers, body = receiver.received[-1]
        assert json.loads(body)["data"] == {"id": decision.pk, "child_external_id": ""}
        stamp = headers["Stemme-Signature"].split(",")[0][2:]
        assert headers["Stemme-Signature"] == webhooks.signature(secret, int(stamp), body)
        assert AccessEvent.objects.filter(child=child, record="webhook:decision.final").exists()
    finally:
        receiver.close()


def test_a_delivery_gives_up_and_shows_in_the_admin(
    client_and_token, administrator, child, caseworker, settings, client_for
):
    from api import webhooks
    from api.models import WebhookDelivery

    settings.STEMME_WEBHOOK_ATTEMPTS = 1
    client, _token = client_and_token
    services.webhook_create(actor=administrator, client=client, url="http://127.0.0.1:9/none")
    conversation, _s, _d = make_conversation(child, caseworker)
    delivery = webhooks.notify(
        webhooks.CONVERSATION_DOCUMENTED, child=child, record_id=conversation.pk
    )[0]
    assert webhooks.attempt(delivery) is False
    delivery.refresh_from_db()
    assert delivery.state == "failed" and delivery.last_error
    page = client_for(administrator).get("/admin/api/webhookdelivery/?state=failed")
    assert page.status_code == 200 and "conversation.documented" in page.content.decode()
    assert WebhookDelivery.objects.filter(state="failed").count() == 1


def test_the_rest_of_the_course_is_upserted_and_a_final_decision_is_not_changed(
    client_and_token, caseworker
):
    from cases.models import Assessment, ConcernReport, FollowUp

    _client, token = client_and_token
    child = _child_via_api(token, caseworker)
    base = "/children/SAG-10"
    report = {"received_on": "2026-10-01", "concerns_abuse": True, "source": "Skolen"}
    assert call(token, "put", f"{base}/concern-reports/U-1", report).json()["outcome"] == "created"
    assert ConcernReport.objects.get(external_id="U-1").concerns_abuse
    assessment = {"need_known_on": "2026-10-02"}
    call(token, "put", f"{base}/assessments/A-1", assessment)
    completed = call(
        token, "put", f"{base}/assessments/A-1", {**assessment, "completed_on": "2026-11-20"}
    )
    assert completed.json()["outcome"] == "updated"
    assert Assessment.objects.get(external_id="A-1").deadline == date(2027, 2, 2)  # § 20
    call(
        token, "put", f"{base}/measures/M-1", {"kind": "contact_person", "started_on": "2026-11-01"}
    )
    decision = {"decided_on": "2026-10-30", "subject": "Kontaktperson", "measure": "M-1"}
    created = call(token, "put", f"{base}/decisions/D-1", decision)
    assert created.json()["outcome"] == "created"
    made = Decision.objects.get(external_id="D-1")
    assert made.measure.external_id == "M-1" and not made.is_final  # a draft until Stemme
    Decision.objects.filter(pk=made.pk).update(finalised_at=timezone.now())
    changed = call(token, "put", f"{base}/decisions/D-1", {**decision, "subject": "Noget andet"})
    assert changed.status_code == 422
    assert call(token, "put", f"{base}/decisions/D-1", decision).json()["outcome"] == "unchanged"
    no_measure = call(token, "put", f"{base}/decisions/D-2", {**decision, "measure": "M-9"})
    assert no_measure.status_code == 422
    follow_up = {"due_on": "2027-02-01", "note": "Opfølgning på kontaktperson"}
    assert call(token, "put", f"{base}/follow-ups/F-1", follow_up).json()["outcome"] == "created"
    assert FollowUp.objects.get(external_id="F-1").case.child == child


@pytest.mark.parametrize(
    "path", ["/children", "/decisions", "/conversations", "/plans", "/feedback"]
)
def test_a_page_costs_the_same_queries_for_few_and_many(client_and_token, caseworker, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from conftest import answer_feedback, make_child
    from plans import services as plan_services

    _client, token = client_and_token

    def add(serial):
        child = make_child(caseworker.municipality, caseworker, serial=serial)
        make_conversation(child, caseworker)
        answer_feedback(child, caseworker, [8, 9, 7, 8, 9])
        plan = plan_services.plan_create(
            actor=caseworker, child=child, next_review_on=timezone.localdate() + timedelta(30)
        )
        plan_services.goal_add(
            actor=caseworker,
            plan=plan,
            childs_words="Mine egne ord.",
            professional_goal="Et fagligt mål.",
            target_date=timezone.localdate() + timedelta(20),
        )
        Decision.objects.create(
            case=current_case(child),
            decided_on=timezone.localdate(),
            subject="Kontaktperson",
            finalised_at=timezone.now(),
        )

    add(11)
    with CaptureQueriesContext(connection) as few:
        assert call(token, "get", path).json()["count"] == 1
    for serial in range(12, 17):
        add(serial)
    with CaptureQueriesContext(connection) as many:
        assert call(token, "get", path).json()["count"] == 6
    assert len(many) == len(few), path


def test_a_read_only_client_files_but_cannot_write(administrator, caseworker, child):
    _client, token = services.api_client_create(
        actor=administrator, name="Journalisering", scopes=("read",)
    )
    assert call(token, "get", "/children").status_code == 200
    refused = call(token, "put", "/children/SAG-5", {**CHILD, "caseworker": caseworker.username})
    assert refused.status_code == 403 and refused["Content-Type"] == "application/problem+json"
    assert not Child.objects.filter(external_id="SAG-5").exists()
    with pytest.raises(Exception, match="read og write"):
        services.api_client_create(actor=administrator, name="x", scopes=("admin",))


def test_a_decision_made_final_in_stemme_is_refused_by_the_case_system(
    client_and_token, caseworker
):
    """The upsert writes through the same service as the pages, which refuses a change to a
    final decision; the answer is a problem document, and nothing changes."""
    from plans import services as plan_services

    _client, token = client_and_token
    child = _child_via_api(token, caseworker)
    decision = {"decided_on": str(timezone.localdate()), "subject": "Kontaktperson"}
    call(token, "put", "/children/SAG-10/decisions/D-1", decision)
    made = Decision.objects.get(external_id="D-1")
    plan_services.decision_record_childs_view(
        actor=caseworker,
        decision=made,
        childs_view="Vil gerne",
        how_weighed="Fulgt",
        explanation_for_child="Du får en voksen at tale med.",
    )
    make_conversation(child, caseworker, kind="before_decision", decision=made)
    plan_services.decision_make_final(actor=caseworker, decision=made)
    changed = call(
        token, "put", "/children/SAG-10/decisions/D-1", {**decision, "subject": "Noget andet"}
    )
    assert changed.status_code == 422 and changed["Content-Type"] == "application/problem+json"
    assert "erstatter" in changed.content.decode()
    made.refresh_from_db()
    assert made.subject == "Kontaktperson" and made.is_final
