"""Writes for break-glass access."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access.models import BreakGlassGrant
from audit.models import AccessAction, AccessBasis
from audit.services import access_record

MINIMUM_REASON_LENGTH = 10


@transaction.atomic
def break_glass_open(*, user, child, reason: str, path: str = "") -> BreakGlassGrant:
    """Open an unassigned child for a limited time; the reason is logged and shown to leaders."""
    reason = (reason or "").strip()
    if len(reason) < MINIMUM_REASON_LENGTH:
        raise ValidationError(
            {"reason": _("Say in a full sentence why you need to open this child's case.")}
        )
    now = timezone.now()
    grant = BreakGlassGrant.objects.create(
        user=user,
        child=child,
        reason=reason,
        granted_at=now,
        expires_at=now + timedelta(hours=settings.STEMME_BREAK_GLASS_HOURS),
    )
    access_record(
        user=user,
        action=AccessAction.BREAK_GLASS,
        child=child,
        record="break_glass",
        basis=AccessBasis.BREAK_GLASS,
        purpose=reason,
        path=path,
    )
    return grant


@transaction.atomic
def break_glass_acknowledge(*, leader, grant: BreakGlassGrant, note: str = "") -> BreakGlassGrant:
    """The leader has seen the access; it leaves the review list (and stays in the log)."""
    if grant.acknowledged_at is not None:
        raise ValidationError(_("This access has already been acknowledged."))
    BreakGlassGrant.objects.filter(pk=grant.pk).update(
        acknowledged_by=leader, acknowledged_at=timezone.now(), acknowledgement_note=note.strip()
    )
    grant.refresh_from_db()
    return grant
