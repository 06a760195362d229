"""Bulk import from the case system's CSV or Excel: a dry run that shows what would change,
row-by-row errors in Danish, all rows or none, and a clear message for a file that is not one."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from api.models import ImportBatch
from audit.models import AccessEvent
from cases.cpr import make_cpr
from cases.models import Case, Child
from conftest import IMMEDIATE_TASKS

HEADING = "barn_id;cpr;fornavn;efternavn;raadgiver;sag_id;sag_aabnet\n"


def _csv(*rows: str) -> bytes:
    return (HEADING + "".join(f"{row}\n" for row in rows)).encode()


def _row(n: int, caseworker="rikke", opened="01-09-2026", cpr=None) -> str:
    cpr = cpr or make_cpr(date(2015, 3, n), 2)
    return f"K-{n};{cpr};Barn{n};Holm;{caseworker};SAG-{n};{opened}"


@pytest.fixture(autouse=True)
def worker_at_once(settings):
    """The worker's steps run right after each request, as a live worker would run them."""
    settings.TASKS = IMMEDIATE_TASKS


def _upload(client, data: bytes, name="eksport.csv"):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post("/import/", {"file": SimpleUploadedFile(name, data)})


def _commit(client, batch):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(f"/import/{batch.pk}/commit/")


def test_a_dry_run_shows_what_would_change_and_imports_nothing(client_for, head, caseworker):
    client = client_for(head)
    response = _upload(client, _csv(_row(1), _row(2), _row(3)))
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.report["created"] == 3 and batch.imported_at is None
    assert not Child.objects.filter(external_id__startswith="K-").exists()
    page = client.get(response["Location"]).content.decode()
    assert "Importér 3 rækker" in page
    done = _commit(client, batch)
    assert done.status_code == 302
    batch.refresh_from_db()
    assert batch.imported_at is not None and batch.imported_by == head
    assert Child.objects.filter(external_id__startswith="K-").count() == 3
    assert Case.objects.get(external_id="SAG-2").opened_on == date(2026, 9, 1)
    assert AccessEvent.objects.filter(record="import:child", user=head).count() == 3
    again = _commit(client, batch)
    assert again.status_code == 400 and "allerede importeret" in again.content.decode()
    # The same file once more changes nothing.
    _upload(client, _csv(_row(1), _row(2), _row(3)))
    assert ImportBatch.objects.first().report["unchanged"] == 3


def test_every_refused_row_is_named_in_danish_and_nothing_is_imported(client_for, head, caseworker):
    client = client_for(head)
    data = _csv(
        _row(1), _row(2, caseworker="ingen"), _row(3, opened="31-02-2026"), _row(4, cpr="123")
    )
    response = _upload(client, data)
    batch = ImportBatch.objects.get()
    assert [row["row"] for row in batch.report["refused"]] == [3, 4, 5]
    page = client.get(response["Location"]).content.decode()
    assert "Der er ingen aktiv rådgiver med det brugernavn." in page
    assert "Skriv datoen som DD-MM-ÅÅÅÅ." in page
    assert "Importér 4" not in page and "/commit/" not in page
    refused = _commit(client, batch)
    assert refused.status_code == 400
    assert "Intet bliver importeret, så længe en række er afvist." in refused.content.decode()
    assert not Child.objects.filter(external_id__startswith="K-").exists()
    batch.refresh_from_db()
    assert batch.imported_at is None


def test_a_row_refused_at_import_time_rolls_back_the_rest(client_for, head, caseworker):
    from conftest import make_child

    client = client_for(head)
    _upload(client, _csv(_row(1), _row(2)))
    batch = ImportBatch.objects.get()
    make_child(caseworker.municipality, caseworker, birth=date(2015, 3, 2), serial=2)
    _commit(client, batch)
    batch.refresh_from_db()
    assert batch.imported_at is None and batch.report["refused"][0]["row"] == 3
    assert not Child.objects.filter(external_id="K-1").exists()


def test_an_excel_workbook_imports_like_a_csv(client_for, head, caseworker):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Barn_ID", "CPR", "Fornavn", "Efternavn", "Rådgiver", "Sag_ID", "Sag_åbnet"])
    sheet.append(
        ["X-1", make_cpr(date(2016, 1, 9), 3), "Ali", "Berg", "rikke", "S-9", date(2026, 5, 4)]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    client = client_for(head)
    _upload(client, buffer.getvalue(), name="eksport.xlsx")
    batch = ImportBatch.objects.get()
    assert batch.report["created"] == 1, batch.report
    _commit(client, batch)
    assert Case.objects.get(external_id="S-9").opened_on == date(2026, 5, 4)


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "fil er tom"),  # Django's own words for an empty upload
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "Filen er hverken en CSV-fil eller et Excel-ark."),
        (b"PK\x03\x04not really a workbook", "Filen kunne ikke læses som et Excel-ark (.xlsx)."),
        (b"navn;alder\nEmma;9\n", "Filen mangler disse kolonner"),
        (HEADING.encode(), "Filen har en overskrift, men ingen børn."),
    ],
)
def test_a_file_that_is_not_a_table_of_children_gets_a_clear_message(
    client_for, head, data, message
):
    response = _upload(client_for(head), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_file_that_is_too_large_is_refused(client_for, head, settings):
    settings.STEMME_IMPORT_MAX_BYTES = 100
    response = _upload(client_for(head), _csv(_row(1), _row(2), _row(3)))
    assert response.status_code == 400 and "større end" in response.content.decode()


def test_only_the_head_of_department_imports_and_only_their_own(
    client_for, head, caseworker, administrator, foreign_caseworker
):
    from accounts.models import Role
    from conftest import make_user

    assert client_for(caseworker).get("/import/").status_code == 403
    assert client_for(administrator).get("/import/").status_code == 403
    _upload(client_for(head), _csv(_row(1)))
    batch = ImportBatch.objects.get()
    other_head = make_user("chef2", Role.HEAD_OF_DEPARTMENT, foreign_caseworker.municipality)
    assert client_for(other_head).get(f"/import/{batch.pk}/").status_code == 404
    assert client_for(other_head).post(f"/import/{batch.pk}/commit/").status_code == 404


def test_the_import_page_lists_recent_files_in_a_fixed_number_of_queries(
    client_for, head, caseworker
):
    client = client_for(head)
    for n in range(1, 4):
        _upload(client, _csv(_row(n)))
    with CaptureQueriesContext(connection) as few:
        client.get("/import/")
    for n in range(4, 9):
        _upload(client, _csv(_row(n)))
    with CaptureQueriesContext(connection) as many:
        assert client.get("/import/").status_code == 200
    assert len(many) == len(few)


def test_the_command_checks_and_imports(head, caseworker, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    path = tmp_path / "eksport.csv"
    path.write_bytes(_csv(_row(1), _row(2)))
    out = io.StringIO()
    call_command("import_children", str(path), by=head.username, stdout=out)
    assert (
        "checked, not imported" in out.getvalue()
        and not Child.objects.filter(external_id="K-1").exists()
    )
    call_command("import_children", str(path), by=head.username, commit=True, stdout=out)
    assert Child.objects.filter(external_id__startswith="K-").count() == 2
    path.write_bytes(_csv(_row(3, caseworker="ingen")))
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_children", str(path), by=head.username, commit=True, stdout=out)


def test_the_page_follows_the_worker_and_a_file_is_never_checked_in_the_request(
    client_for, head, caseworker, settings
):
    """With no worker running (the database backend, nothing runs it), the upload answers at
    once, the page says the file is being checked and polls, and nothing is imported."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "urgent"]}
    }
    client = client_for(head)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            "/import/", {"file": SimpleUploadedFile("eksport.csv", _csv(_row(1), _row(2)))}
        )
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.state == "checking" and batch.report == {}
    page = client.get(response["Location"]).content.decode()
    assert "Kontrollerer 2 rækker" in page and 'hx-trigger="every 2s"' in page
    refused = _commit(client, batch)
    assert (
        refused.status_code == 400
        and "stadig ved at blive kontrolleret" in refused.content.decode()
    )
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(task_path="api.tasks.check_import").count() == 1
    # The worker checks it; the import is asked for and waits for the worker in turn.
    from api.tasks import check_import

    check_import.call(batch.pk)
    batch.refresh_from_db()
    assert batch.state == "checked" and batch.report["created"] == 2
    assert _commit(client, batch).status_code == 302
    batch.refresh_from_db()
    assert batch.state == "importing" and not Child.objects.filter(external_id="K-1").exists()
    assert "Importerer 2 rækker" in client.get(response["Location"]).content.decode()
