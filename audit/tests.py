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
    code, err = _verify()  # the chain's head still names entry 20
    assert code == 1 and "entry 20 was cut" in err and "head" in err
    _rewind_head_to(17)  # hiding the cut in the database as well ...
    code, err = _verify("--anchor-file", str(anchors))  # ... is found by the anchor
    assert code == 1 and "entry 20 was cut" in err and "anchor" in err


def _rewind_head_to(sequence):
    event = AccessEvent.objects.get(sequence=sequence)
    _raw(
        "UPDATE audit_chainhead SET sequence = %s, entry_hash = %s WHERE id = 1",
        (sequence, event.entry_hash),
    )


def test_an_emptied_log_is_never_intact(chain):
    _raw("DELETE FROM audit_accessevent")
    code, err = _verify()
    assert code == 1 and "entry 20 was cut" in err and "ends at entry 0" in err
    assert "intact" not in err


def test_entries_beyond_the_head_are_found(chain):
    _rewind_head_to(15)
    code, err = _verify()
    assert code == 1 and "entry 16 was inserted" in err and "beyond the chain's head" in err


def test_a_new_log_is_intact_with_its_genesis_head(db):
    code, out = _verify()
    assert code == 0 and "intact: 0 entries" in out


@pytest.fixture
def anchored(settings, tmp_path):
    settings.STEMME_AUDIT_ANCHORS = str(tmp_path / "anchors")
    settings.STEMME_AUDIT_ANCHOR_MINUTES = 60
    return tmp_path / "anchors"


def _waiting_anchor_runs():
    from django_tasks_db.models import DBTaskResult

    return list(DBTaskResult.objects.filter(task_path="audit.tasks.anchor_scheduled"))


def _work_as_db_worker():
    """One pass of `manage.py db_worker` (its loop would close the test's transaction)."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    (due,) = DBTaskResult.objects.ready()
    due.claim(worker.worker_id)
    worker.run_task(due)


def test_the_worker_anchors_on_a_schedule_and_verify_uses_the_latest_anchor(
    chain, anchored, caseworker, child
):
    from django_tasks_db.models import DBTaskResult

    # Every deploy migrates; that starts the schedule, and it is never queued twice.
    call_command("migrate", verbosity=0)
    call_command("migrate", verbosity=0)
    (queued,) = _waiting_anchor_runs()
    in_an_hour = timezone.now() + timezone.timedelta(minutes=60)
    assert abs((queued.run_after - in_an_hour).total_seconds()) < 60
    # The worker runs it when it is due: it writes the anchor and queues the next run.
    DBTaskResult.objects.filter(pk=queued.pk).update(run_after=timezone.now())
    _work_as_db_worker()
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL" and queued.return_value.startswith("20:")
    assert [run.status for run in _waiting_anchor_runs()].count("READY") == 1
    written = list(anchored.glob("*/*.txt"))
    assert len(written) == 1 and written[0].read_text().startswith("20:")
    # Later entries, a later anchor: verify takes the latest one without being told.
    access_record(user=caseworker, action=AccessAction.VIEW, child=child, record="late")
    call_command("audit_anchor", stdout=StringIO())
    code, out = _verify()
    assert code == 0 and "anchor 21 found intact" in out
    # The tail and the head are cut back together: only the anchor outside the database knows.
    _raw("DELETE FROM audit_accessevent WHERE sequence >= 19")
    _rewind_head_to(18)
    code, err = _verify()
    assert code == 1 and "entry 21 was cut" in err and "anchor kept outside" in err


def test_verify_says_when_anchoring_has_stopped(chain, anchored, settings):
    code, _out = _verify()
    assert code == 0  # nothing anchored yet: said, not hidden
    err = StringIO()
    call_command("audit_verify", stdout=StringIO(), stderr=err)
    assert "is the worker (db_worker) running?" in err.getvalue()


def test_production_needs_an_audit_key_of_its_own(settings):
    from django.core import checks

    def errors():
        return {issue.id for issue in checks.run_checks(tags=[checks.Tags.security])}

    settings.DEBUG = False
    settings.STEMME_AUDIT_ANCHORS = "/srv/anchors"
    settings.STEMME_AUDIT_KEY = ""
    assert "audit.E001" in errors()
    settings.STEMME_AUDIT_KEY = settings.SECRET_KEY
    assert "audit.E002" in errors()
    settings.STEMME_AUDIT_KEY = f"audit:{settings.SECRET_KEY}"  # the old derivation
    assert "audit.E002" in errors()
    settings.STEMME_AUDIT_KEY = "x" * 20
    assert "audit.E002" in errors()
    settings.STEMME_AUDIT_KEY = "an independent key of more than thirty-two characters"
    assert not errors() & {"audit.E001", "audit.E002", "audit.E003"}
    settings.STEMME_AUDIT_ANCHORS = ""
    assert "audit.E003" in errors()
    settings.DEBUG = True  # the local demo derives its key and keeps no anchors
    settings.STEMME_AUDIT_KEY = ""
    assert not errors() & {"audit.E001", "audit.E002", "audit.E003"}


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


def test_deploy_check_warns_when_the_application_could_rewrite_the_log(db):
    if connection.vendor != "postgresql":
        pytest.skip("database roles exist on PostgreSQL")
    from django.core import checks

    # The test suite connects as a superuser: exactly what production must not do.
    found = checks.run_checks(include_deployment_checks=True, databases=["default"])
    assert "audit.W001" in {issue.id for issue in found}
    assert "audit.W001" not in {issue.id for issue in checks.run_checks(databases=["default"])}
