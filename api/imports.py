"""Bulk import of children and their cases from the case system's export, as CSV or Excel.

A file is read into rows first (any problem with the file itself is one clear message), then a
dry run shows what would change, row by row, and names every refused row in the user's
language. The import itself writes every row or none (`upserts.write_rows`), through the same
upserts as the API, as the head of department, and every child written is in the access log."""

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from api import upserts
from api.models import ImportBatch, ImportState
from audit.models import AccessAction, AccessBasis
from audit.services import access_record_many

# Each column by its name in the file: the Danish heading or the English field name.
COLUMNS = {
    "barn_id": "external_id",
    "cpr": "cpr",
    "fornavn": "first_name",
    "efternavn": "last_name",
    "kaldenavn": "preferred_name",
    "sprog": "languages",
    "raadgiver": "caseworker",
    "rådgiver": "caseworker",
    "sag_id": "case_external_id",
    "sag_aabnet": "opened_on",
    "sag_åbnet": "opened_on",
    "sag_lukket": "closed_on",
    "lukkebegrundelse": "closing_note",
}
COLUMNS.update({name: name for name in set(COLUMNS.values())})
REQUIRED = ("external_id", "cpr", "first_name", "last_name", "caseworker")
DATES = ("opened_on", "closed_on")
FIELD_LABELS = {
    "external_id": gettext_lazy("child's id"),
    "cpr": gettext_lazy("CPR number"),
    "first_name": gettext_lazy("first name"),
    "last_name": gettext_lazy("last name"),
    "preferred_name": gettext_lazy("preferred name"),
    "languages": gettext_lazy("languages"),
    "caseworker": gettext_lazy("caseworker"),
    "case_external_id": gettext_lazy("case id"),
    "opened_on": gettext_lazy("case opened"),
    "closed_on": gettext_lazy("case closed"),
    "closing_note": gettext_lazy("why the case was closed"),
}
XLSX_MAGIC = b"PK\x03\x04"


class ImportFileError(Exception):
    """The file itself cannot be read as a table of children (the message says why)."""


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _table_from_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
        if unpacked > settings.STEMME_MAX_UNZIPPED_BYTES:
            raise ImportFileError(_("The Excel file unpacks to more than Stemme accepts."))
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        table = []
        for row in sheet.iter_rows(values_only=True):
            table.append([_cell(value) for value in row])
            if len(table) > settings.STEMME_IMPORT_MAX_ROWS + 1:
                break
        workbook.close()
        return table
    except ImportFileError:
        raise
    except Exception as broken:  # openpyxl raises many kinds for a broken workbook
        raise ImportFileError(
            _("The file could not be read as an Excel workbook (.xlsx).")
        ) from broken


def _table_from_csv(data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        raise ImportFileError(_("The file is neither UTF-8 nor Windows text."))
    if "\x00" in text:
        raise ImportFileError(_("The file is not a CSV file or an Excel workbook."))
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    return [
        [cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)
    ]


def read_rows(name: str, data: bytes) -> list[dict]:
    """The rows of a CSV or Excel file as dicts of Stemme's field names; refuses a file that is
    empty, too large, not a table, or missing a required column."""
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    if len(data) > settings.STEMME_IMPORT_MAX_BYTES:
        raise ImportFileError(_("The file is larger than Stemme accepts for an import."))
    table = _table_from_xlsx(data) if data.startswith(XLSX_MAGIC) else _table_from_csv(data)
    table = [row for row in table if any(row)]
    if len(table) < 2:
        raise ImportFileError(_("The file has a heading row but no children."))
    if len(table) - 1 > settings.STEMME_IMPORT_MAX_ROWS:
        raise ImportFileError(
            _("The file has more than %(max)d rows: split it in parts.")
            % {"max": settings.STEMME_IMPORT_MAX_ROWS}
        )
    headings = [COLUMNS.get(cell.strip().lower()) for cell in table[0]]
    missing = [str(FIELD_LABELS[name]) for name in REQUIRED if name not in headings]
    if missing:
        raise ImportFileError(
            _("The file lacks these columns: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    rows = []
    for cells in table[1:]:
        row = {
            name: cells[index] if index < len(cells) else ""
            for index, name in enumerate(headings)
            if name
        }
        rows.append(row)
    return rows


@dataclass
class Report:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: list[dict] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.refused


def _parse_date(row: dict, name: str) -> date | None:
    value = row.get(name, "")
    if not value:
        return None
    for pattern in ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y"):
        try:
            parsed = datetime.strptime(value[:10], pattern).date()  # noqa: DTZ007 - a day
        except ValueError:
            continue
        if date(1900, 1, 1) <= parsed <= date(2100, 12, 31):
            return parsed
    raise ValidationError({name: _("Write the date as DD-MM-YYYY.")})


def _write(actor, row: dict):
    for name in REQUIRED:
        if not row.get(name, "").strip():
            raise ValidationError({name: _("This is required.")})
    if "\x00" in "".join(row.values()):
        raise ValidationError(_("The row contains characters that are not allowed."))
    child, outcome = upserts.child_upsert(
        actor=actor,
        external_id=row["external_id"][:100],
        cpr=row["cpr"],
        first_name=row["first_name"][:100],
        last_name=row["last_name"][:100],
        preferred_name=row.get("preferred_name", "")[:100],
        languages=row.get("languages", "")[:200],
        caseworker=row["caseworker"],
    )
    if row.get("case_external_id"):
        opened_on = _parse_date(row, "opened_on")
        if opened_on is None:
            raise ValidationError({"opened_on": _("Give the day the case was opened.")})
        _case, case_outcome = upserts.case_upsert(
            actor=actor,
            child=child,
            external_id=row["case_external_id"][:100],
            opened_on=opened_on,
            closed_on=_parse_date(row, "closed_on"),
            closing_note=row.get("closing_note", ""),
        )
        if outcome == upserts.UNCHANGED:
            outcome = case_outcome
    return child, outcome


def run(*, actor, rows: list[dict], dry_run: bool) -> tuple[Report, list]:
    """Check (dry run) or import the rows; nothing is kept unless every row is accepted."""
    results = upserts.write_rows(rows, lambda row: _write(actor, row), dry_run=dry_run)
    report = Report()
    for result in results:
        line = result.index + 2  # the heading is row 1 in the file
        external_id = rows[result.index].get("external_id", "")
        if result.errors:
            report.refused.append(
                {
                    "row": line,
                    "external_id": external_id,
                    "errors": [
                        f"{FIELD_LABELS.get(name, name)}: {message}" if name else message
                        for name, message in result.errors
                    ],
                }
            )
            continue
        setattr(report, result.outcome, getattr(report, result.outcome) + 1)
        report.rows.append({"row": line, "external_id": external_id, "outcome": result.outcome})
    return report, [r.record for r in results if not r.errors]


@transaction.atomic
def batch_submit(*, actor, name: str, data: bytes, in_background: bool = True) -> ImportBatch:
    """Read the file (a file that cannot be read is refused at once, ImportFileError) and keep
    its rows; the worker checks them (a dry run), so a file of 100,000 rows never holds a
    request. The batch keeps the rows, so the import needs no second upload."""
    rows = read_rows(name, data)
    batch = ImportBatch.objects.create(
        municipality_id=actor.municipality_id,
        created_by=actor,
        file_name=name[:200],
        state=ImportState.CHECKING,
        rows=rows,
        report={},
    )
    if in_background:
        from api.tasks import check_import

        transaction.on_commit(lambda: check_import.enqueue(batch.pk))
    return batch


@transaction.atomic
def batch_check_run(*, batch: ImportBatch) -> ImportBatch:
    """The dry run of a submitted file, as the person who submitted it."""
    batch = ImportBatch.objects.select_for_update().select_related("created_by").get(pk=batch.pk)
    if batch.state != ImportState.CHECKING:
        return batch
    actor = batch.created_by
    report, checked = run(actor=actor, rows=batch.rows, dry_run=True)
    # The dry run compared the children who are already here: that look is logged too.
    access_record_many(
        user=actor,
        action=AccessAction.VIEW,
        children=[
            child
            for child, row in zip(checked, report.rows, strict=True)
            if row["outcome"] != upserts.CREATED
        ],
        record="import:dry-run",
        basis=AccessBasis.DEPARTMENT,
    )
    batch.report, batch.state = _as_json(report), ImportState.CHECKED
    batch.save(update_fields=["report", "state"])
    return batch


def batch_check(*, actor, name: str, data: bytes) -> ImportBatch:
    """Read and check a file at once (the command line)."""
    return batch_check_run(
        batch=batch_submit(actor=actor, name=name, data=data, in_background=False)
    )


@transaction.atomic
def batch_import_request(*, actor, batch: ImportBatch) -> ImportBatch:
    """Ask the worker to import a checked file; the page follows it."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    _require_importable(batch)
    batch.state, batch.imported_by = ImportState.IMPORTING, actor
    batch.save(update_fields=["state", "imported_by"])
    from api.tasks import run_import

    transaction.on_commit(lambda: run_import.enqueue(batch.pk))
    return batch


def _require_importable(batch: ImportBatch) -> None:
    if batch.imported_at is not None or batch.state == ImportState.IMPORTED:
        raise ValidationError(_("This file has already been imported."))
    if batch.state == ImportState.IMPORTING:
        raise ValidationError(_("This file is being imported now."))
    if batch.state == ImportState.CHECKING:
        raise ValidationError(_("The file is still being checked."))
    if not batch.report:
        raise ValidationError(_("The file was not checked. Upload it again."))
    if batch.report.get("refused"):
        raise ValidationError(_("Nothing is imported while a row is refused."))


@transaction.atomic
def batch_import(*, actor, batch: ImportBatch) -> ImportBatch:
    """Import a checked batch: every row or, if any is refused now, none (the worker, or the
    command line)."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.state != ImportState.IMPORTING:
        _require_importable(batch)
    report, kept = run(actor=actor, rows=batch.rows, dry_run=False)
    batch.report = _as_json(report)
    batch.state = ImportState.CHECKED
    if report.ok:
        batch.state = ImportState.IMPORTED
        batch.imported_at = timezone.now()
        batch.imported_by = actor
        access_record_many(
            user=actor,
            action=AccessAction.CHANGE,
            children=kept,
            record="import:child",
            basis=AccessBasis.DEPARTMENT,
        )
    batch.save()
    return batch


def batch_failed(batch_id: int) -> None:
    """The worker could not finish: nothing was imported (one transaction), and the page says
    so and offers to try again."""
    ImportBatch.objects.filter(
        pk=batch_id, state__in=(ImportState.CHECKING, ImportState.IMPORTING)
    ).update(state=ImportState.FAILED)


def _as_json(report: Report) -> dict:
    return {
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "refused": report.refused,
        "rows": report.rows,
    }
