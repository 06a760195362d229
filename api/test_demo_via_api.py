"""The demo's case records can be filled through the API alone: every child of the demo
municipality, with its cases, reports of concern, assessments, measures and placements,
decisions, follow-ups, network and fixed caseworker, is sent through the API to an empty
municipality, and the two come out the same."""

import json

from django.core.management import call_command
from django.test import Client

from accounts.models import Municipality, Role, Team, User
from api.services import api_client_create
from cases.forms import NetworkMemberForm
from cases.models import Child
from continuity.services import responsible_assignment

COURSE = {
    "concern-reports": ("concern_reports", ("received_on", "source", "concerns_abuse", "summary")),
    "assessments": ("assessments", ("need_known_on", "completed_on")),
    "measures": (
        "measures",
        ("kind", "place", "started_on", "planned_end_on", "ended_on", "end_kind"),
    ),
    "decisions": ("decisions", ("decided_on", "subject", "without_consent")),
    "follow-ups": ("follow_ups", ("due_on", "held_on", "note")),
}
NETWORK = NetworkMemberForm.Meta.fields


def _json(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def _calls(child):
    """The API calls that send one child's case records, as the case system would."""
    responsible = responsible_assignment(child).caseworker.username
    yield (
        f"/children/R-{child.pk}",
        {
            "cpr": child.cpr,
            "first_name": child.first_name,
            "last_name": child.last_name,
            "preferred_name": child.preferred_name,
            "languages": child.languages,
            "caseworker": f"api-{responsible}",
        },
    )
    base = f"/children/R-{child.pk}"
    for case in child.cases.order_by("opened_on", "pk"):
        yield (
            f"{base}/cases/C-{case.pk}",
            {
                "opened_on": case.opened_on.isoformat(),
                "closed_on": _json(case.closed_on),
                "closing_note": case.closing_note,
            },
        )
        for kind, (related, names) in COURSE.items():
            for entry in getattr(case, related).order_by("pk"):
                body = {name: _json(getattr(entry, name)) for name in names}
                body["case"] = f"C-{case.pk}"
                if kind == "measures":
                    body["end_kind"] = body["end_kind"] or None
                if kind == "decisions" and entry.measure_id:
                    body["measure"] = f"M-{entry.measure_id}"
                prefix = {"measures": "M"}.get(kind, kind[0].upper())
                yield f"{base}/{kind}/{prefix}-{entry.pk}", body
    for member in child.network.order_by("pk"):
        yield (
            f"{base}/network/N-{member.pk}",
            {name: _json(getattr(member, name)) for name in NETWORK},
        )


def _shape(child):
    """Everything the case system owns of a child, without Stemme's own ids."""
    cases = []
    for case in child.cases.order_by("opened_on", "pk"):
        course = {
            kind: sorted(
                tuple(str(getattr(e, name)) for name in names) for e in getattr(case, related).all()
            )
            for kind, (related, names) in COURSE.items()
        }
        cases.append((case.opened_on, case.closed_on, case.closing_note, course))
    return {
        "child": (child.cpr, child.first_name, child.last_name, child.preferred_name),
        "caseworker": responsible_assignment(child).caseworker.username.removeprefix("api-"),
        "cases": cases,
        "network": sorted(tuple(str(getattr(m, n)) for n in NETWORK) for m in child.network.all()),
    }


def test_the_demo_can_be_filled_through_the_api_alone(db):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    demo = Municipality.objects.get(code="265")
    target = Municipality.objects.create(code="901", name="Demo gennem API")
    for team in Team.objects.filter(municipality=demo):
        Team.objects.create(municipality=target, name=team.name)
    for user in User.objects.filter(
        municipality=demo, role__in=(Role.CASEWORKER, Role.TEAM_LEADER)
    ):
        User.objects.create(username=f"api-{user.username}", role=user.role, municipality=target)
    admin = User.objects.create(username="api-admin", role=Role.ADMINISTRATOR, municipality=target)
    _client, token = api_client_create(actor=admin, name="Sagssystemet")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    children = list(Child.objects.filter(municipality=demo).order_by("pk"))
    sent = 0
    for child in children:
        for path, body in _calls(child):
            response = client.put(
                f"/api/v1{path}", json.dumps(body), content_type="application/json"
            )
            assert response.status_code in (200, 201), (path, body, response.content)
            sent += 1
    assert sent > len(children) * 4
    filled = {c.external_id: c for c in Child.objects.filter(municipality=target)}
    assert len(filled) == len(children)
    for child in children:
        assert _shape(filled[f"R-{child.pk}"]) == _shape(child), child.pk
    kinds = {
        kind
        for c in filled.values()
        for case in _shape(c)["cases"]
        for kind, rows in case[3].items()
        if rows
    }
    assert kinds == set(COURSE)  # every kind of record travelled
    # Sending a child's records once more changes nothing.
    again = [
        client.put(f"/api/v1{path}", json.dumps(body), content_type="application/json")
        for path, body in _calls(children[0])
    ]
    assert all(response.status_code == 200 for response in again)
    assert {response.json().get("outcome", "unchanged") for response in again} == {"unchanged"}
