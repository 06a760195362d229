"""The readable history of a child's records: who changed what, when, from what to what.

Built from django-simple-history's tables with one query per kind of record, the differences
computed here rather than one query per change.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import gettext_lazy as _

SKIPPED_FIELDS = {"id", "created_at", "updated_at"}


@dataclass
class Change:
    at: datetime
    who: str
    record_type: str
    record_label: str
    kind: str
    reason: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)


def _display(model_field, value, users: dict) -> str:
    if value is None or value == "":
        return "–"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.ForeignKey):
        if model_field.related_model is get_user_model():
            return users.get(value, str(value))
        return f"#{value}"
    if isinstance(model_field, models.BooleanField):
        return str(_("yes") if value else _("no"))
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    if hasattr(value, "strftime"):
        return value.strftime("%d.%m.%Y")
    return str(value)


def _changes(model, history_rows, users: dict) -> list[Change]:
    tracked = [f for f in model._meta.concrete_fields if f.name not in SKIPPED_FIELDS]
    previous: dict[int, object] = {}
    result = []
    for row in history_rows:
        before = previous.get(row.id)
        previous[row.id] = row
        diffs = []
        for model_field in tracked:
            new = getattr(row, model_field.attname)
            old = getattr(before, model_field.attname) if before is not None else None
            if before is None and new in (None, "", False):
                continue
            if before is None or old != new:
                diffs.append(
                    (
                        str(model_field.verbose_name),
                        _display(model_field, old, users) if before is not None else "",
                        _display(model_field, new, users),
                    )
                )
        if before is not None and not diffs:
            continue
        kind = {"+": _("created"), "~": _("changed"), "-": _("deleted")}[row.history_type]
        if before is not None and getattr(row, "removed_at", None) and not before.removed_at:
            kind = _("removed")
        result.append(
            Change(
                at=row.history_date,
                who=str(row.history_user) if row.history_user else str(_("the system")),
                record_type=str(model._meta.verbose_name),
                record_label=str(getattr(row, "name", "") or ""),
                kind=str(kind),
                reason=row.history_change_reason or "",
                fields=diffs,
            )
        )
    return result


def changes_for_child(child) -> list[Change]:
    """Every recorded change to the child and the child's records, newest first."""
    from cases.models import (
        Assessment,
        Case,
        Child,
        ConcernReport,
        Decision,
        FollowUp,
        Measure,
        NetworkMember,
    )
    from continuity.models import CaseworkerAssignment, Handover

    case_ids = list(Case.all_objects.filter(child=child).values_list("pk", flat=True))
    sources = [
        (Child, {"id": child.pk}),
        (Case, {"child_id": child.pk}),
        (NetworkMember, {"child_id": child.pk}),
        (CaseworkerAssignment, {"child_id": child.pk}),
        (Handover, {"child_id": child.pk}),
        *[
            (model, {"case_id__in": case_ids})
            for model in (ConcernReport, Assessment, Measure, Decision, FollowUp)
        ],
    ]
    fetched = [
        (
            model,
            list(
                model.history.filter(**filters)
                .select_related("history_user")
                .order_by("id", "history_date", "history_id")
            ),
        )
        for model, filters in sources
    ]
    user_ids = set()
    for model, rows in fetched:
        for model_field in model._meta.concrete_fields:
            if (
                isinstance(model_field, models.ForeignKey)
                and model_field.related_model is get_user_model()
            ):
                user_ids.update(getattr(row, model_field.attname) for row in rows)
    user_ids.discard(None)
    users = {u.pk: str(u) for u in get_user_model().objects.filter(pk__in=user_ids)}
    changes = [change for model, rows in fetched for change in _changes(model, rows, users)]
    return sorted(changes, key=lambda change: change.at, reverse=True)
