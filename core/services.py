"""Writes shared by every capability: the recorded, reasoned removal."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from core.models import KeptRecord

# django-simple-history keeps the reason for a change in a column of this many characters.
HISTORY_REASON_LENGTH = 100


def save_recorded(record, *, actor, reason: str = "", validate: bool = True):
    """Save a record with who made the change (and why) in its history; validate it first
    unless the caller relies on the database's own constraints."""
    record._history_user = actor
    if len(reason) > HISTORY_REASON_LENGTH:
        raise ValidationError(
            {"reason": _("Keep the reason to %(n)s characters.") % {"n": HISTORY_REASON_LENGTH}}
        )
    if reason:
        record._change_reason = reason
    if validate:
        record.full_clean()
    record.save()
    return record


@transaction.atomic
def record_remove(*, record: KeptRecord, actor, reason: str) -> KeptRecord:
    """Mark a record as removed. It stays in the database and its history says who and why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason for removing this.")})
    if record.is_removed:
        raise ValidationError(_("This has already been removed."))
    record.removed_at = timezone.now()
    record.removed_by = actor
    record.removed_reason = reason
    record._history_user = actor
    # The whole reason is kept on the record; the history's column holds its beginning.
    record._change_reason = Truncator(reason).chars(HISTORY_REASON_LENGTH)
    record.save(update_fields=["removed_at", "removed_by", "removed_reason", "updated_at"])
    return record
