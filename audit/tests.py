"""The access log: complete, append-only, tamper-evident; who has looked; the leader's search."""

from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessAction, AccessEvent, ChainHead
from audit.services import access_record
from audit.verify import verify_chain
from conftest import PASSWORD


@pytest.fixture
def chain(child, caseworker):
    """Twenty entries about the child."""
    for i in range(20):
        access_record(user=caseworker, action=AccessAction.VIEW, child=child, record=f"r{i}")
    return list(AccessEvent.objects.order_by("sequence"))


def _raw(sql, params=()):
    """Tamper as someone with direct database access would, past the append-only trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # a superuser skips triggers
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


def _verify(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("audit_verify", *args, stdout=out, stderr=err)
        return 0, out.getvalue()
    except SystemExit as exit_:
        return exit_.code, err.getvalue()


def test_an_intact_chain_verifies(chain):
    code, out = _verify()
    assert code == 0 and "20 entries" in out


def test_altered_entry_is_named(chain):
    _raw("UPDATE audit_accessevent SET purpose = 'nothing to see' WHERE sequence = 7")
    code, err = _verify()
    assert code == 1 and "entry 7 was altered" in err


def test_removed_entry_is_named(chain):
    _raw("DELETE FROM audit_accessevent WHERE sequence = 12")
    code, err = _verify()
    assert code == 1 and "entry 12 was removed" in err


def test_inserted_entry_is_named(chain):
    # Make room after entry 9 and put a forged entry there.
    for sequence in range(20, 9, -1):
        _raw(
            "UPDATE audit_accessevent SET sequence = %s WHERE sequence = %s",
            (sequence + 1, sequence),
        )
    forged = chain[9]
    _raw(
        "INSERT INTO audit_accessevent (sequence, at, user_id, role, municipality_code, unit,"
        " child_id, requested_child_id, action, record, basis, purpose, path, previous_hash,"
        " entry_hash) VALUES (10, %s, %s, 'caseworker', '265', '', %s, %s, 'view', 'forged',"
        " '', '', '', %s, %s)",
        (
            timezone.now(),
            forged.user_id,
            forged.child_id,
            forged.child_id,
            chain[8].entry_hash,
            "f" * 64,
        ),
    )
    code, err = _verify()
    assert code == 1 and "entry 10 was inserted" in err


def test_a_cut_tail_is_found_with_the_anchor(chain, tmp_path):
    anchors = tmp_path / "anchors.txt"
    call_command("audit_anchor", "--file", str(anchors), stdout=StringIO())
    assert anchors.read_text().startswith("20:")
    assert _verify("--anchor-file", str(anchors))[0] == 0
    _raw("DELETE FROM audit_accessevent WHERE sequence >= 18")
    assert _verify()[0] == 0  # without the anchor, a cut tail looks like a shorter log
    code, err = _verify("--anchor-file", str(anchors))
    assert code == 1 and "entry 20 was cut" in err


def test_the_database_refuses_changes_on_postgresql(chain):
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL, the production database")
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_accessevent SET purpose = 'x' WHERE sequence = 1")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accessevent WHERE sequence = 1")


def test_verify_streams_in_small_chunks(chain):
    result = verify_chain(chunk_size=3)
    assert result.ok and result.checked == 20
    assert result.last_hash == ChainHead.objects.get().entry_hash


def test_a_failed_log_write_fails_the_request(child, caseworker, client_for):
    client = client_for(caseworker)
    with mock.patch("audit.services.AccessEvent.save", side_effect=RuntimeError("disk full")):
        client.raise_request_exception = False
        response = client.get(reverse("cases:child", args=[child.pk]))
    assert response.status_code == 500
    assert "Emma" not in response.content.decode()


def test_sign_in_and_failed_sign_in_are_logged(caseworker):
    Client().post(reverse("accounts:login"), {"username": "rikke", "password": "wrong"})
    Client().post(reverse("accounts:login"), {"username": "rikke", "password": PASSWORD})
    failed = AccessEvent.objects.get(action=AccessAction.SIGN_IN_FAILED)
    assert failed.user is None and failed.record == "username:rikke"
    assert AccessEvent.objects.get(action=AccessAction.SIGN_IN).user == caseworker


def test_permission_refusal_is_logged(child, caseworker, colleague, client_for):
    from continuity.services import handover_start

    handover = handover_start(
        actor=caseworker, child=child, to_caseworker=colleague, overlap_until=timezone.localdate()
    )
    url = reverse("continuity:handover_complete", args=[child.pk, handover.pk])
    assert client_for(colleague).post(url).status_code == 403
    refused = AccessEvent.objects.filter(action=AccessAction.REFUSED, user=colleague).get()
    assert refused.requested_child_id == child.pk and refused.path == url


def test_who_has_looked_shows_date_role_unit_and_purpose_not_names(
    child, caseworker, team_leader, client_for
):
    client_for(team_leader).get(reverse("cases:child", args=[child.pk]))
    client = client_for(caseworker)
    client.get(reverse("cases:child", args=[child.pk]))
    client.get(reverse("cases:child", args=[child.pk]))
    page = client.get(reverse("audit:who_has_looked", args=[child.pk]))
    looks = list(page.context["page"].object_list)
    by_role = {look["role"]: look for look in looks}
    assert (
        by_role["caseworker"]["basis"] == "assigned" and by_role["caseworker"]["unit"] == "Team Øst"
    )
    assert by_role["team_leader"]["basis"] == "team"
    html = page.content.decode()
    assert "Rikke" not in html.split("<main")[1]  # no employee names unless turned on
    assert "arbejder med din sag" in html


def test_who_has_looked_shows_names_when_the_municipality_turns_it_on(
    child, caseworker, client_for, municipality
):
    municipality.show_staff_names_to_child = True
    municipality.save()
    client = client_for(caseworker)
    client.get(reverse("cases:child", args=[child.pk]))
    html = client.get(reverse("audit:who_has_looked", args=[child.pk])).content.decode()
    assert "Rikke" in html.split("<main")[1]


def test_leader_searches_the_log_and_sees_what_stands_out(
    child, caseworker, colleague, team_leader, head, client_for
):
    from access.services import break_glass_open

    client_for(caseworker).get(reverse("cases:child", args=[child.pk]))
    break_glass_open(user=colleague, child=child, reason="Covering for an ill colleague")
    leader = client_for(team_leader)
    page = leader.get(reverse("audit:log"), {"cpr": child.cpr_formatted})
    events = list(page.context["page"].object_list)
    assert events and all(e.child == child or e.requested_child_id == child.pk for e in events)
    assert page.context["patterns"]["break_glass"][0]["user__first_name"] == colleague.first_name
    only_breaks = leader.get(reverse("audit:log"), {"action": "break_glass"})
    assert [e.action for e in only_breaks.context["page"].object_list] == ["break_glass"]
    bad = leader.get(reverse("audit:log"), {"cpr": "not a cpr", "date_from": "3000-01-01"})
    assert bad.status_code == 200 and bad.context["form"].errors


def test_audit_log_is_for_leaders_and_lists_a_fixed_number_of_queries(
    child, caseworker, team_leader, client_for, django_assert_max_num_queries
):
    assert client_for(caseworker).get(reverse("audit:log")).status_code == 404
    client = client_for(team_leader)
    for _ in range(3):
        client_for(caseworker).get(reverse("cases:child", args=[child.pk]))
    with django_assert_max_num_queries(30) as small:
        client.get(reverse("audit:log"))
    for _ in range(30):
        access_record(user=caseworker, action=AccessAction.VIEW, child=child)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("audit:log"))


def test_team_leader_sees_only_the_teams_entries(
    child, caseworker, west_caseworker, west_leader, team_leader, client_for
):
    access_record(user=west_caseworker, action=AccessAction.SIGN_IN)
    access_record(user=caseworker, action=AccessAction.SIGN_IN)
    events = client_for(west_leader).get(reverse("audit:log")).context["page"].object_list
    assert {e.user for e in events if e.action == "sign_in"} == {west_caseworker}
