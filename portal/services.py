"""Writes of the child's portal: handing a child their code, signing in with code and PIN,
revoking, and "I need to talk"."""

import hashlib
import hmac
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from core.services import save_recorded
from portal.models import PortalAccess, TalkKind, TalkRequest

# No 0/O, 1/I/L: a child reads the code off a sheet of paper.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12  # about 59 bits: not guessable, even without the PIN


class SignInRefused(Exception):
    """Sign-in failed; the message is kind, plain and safe to show to anyone."""


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch in CODE_ALPHABET)


def code_digest(code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, normalise_code(code).encode(), hashlib.sha256).hexdigest()


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


@transaction.atomic
def access_create(*, actor, child) -> tuple[PortalAccess, str]:
    """A new personal code for the child (shown once); any earlier code stops working."""
    for old in PortalAccess.objects.filter(child=child, revoked_at__isnull=True):
        access_revoke(actor=actor, access=old)
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    user = User(
        username=f"portal-{uuid.uuid4().hex}",
        first_name=child.preferred_name or child.first_name,
        role=Role.CHILD,
        municipality_id=child.municipality_id,
    )
    user.set_unusable_password()
    user._change_reason = f"portal access made by {actor.pk}"
    user.save()
    access = save_recorded(
        PortalAccess(
            child=child,
            user=user,
            code_digest=code_digest(code),
            code_expires_at=timezone.now() + timedelta(days=settings.STEMME_PORTAL_CODE_DAYS),
            created_by=actor,
        ),
        actor=actor,
    )
    return access, format_code(code)


@transaction.atomic
def access_revoke(*, actor, access: PortalAccess) -> PortalAccess:
    """Close the child's access at once: the sign-in is deactivated, so every open session ends
    on its next request."""
    if access.revoked_at is not None:
        raise ValidationError(_("This access is already closed."))
    access.revoked_at, access.revoked_by = timezone.now(), actor
    User.objects.filter(pk=access.user_id).update(is_active=False)
    return save_recorded(access, actor=actor, validate=False)


def _check_pin_shape(pin: str) -> None:
    if not (pin.isdigit() and 4 <= len(pin) <= 6):
        raise SignInRefused(_("Your PIN must be 4 to 6 digits."))


@transaction.atomic
def _open_with_code(code: str):
    return PortalAccess.objects.filter(code_digest=code_digest(code), revoked_at__isnull=True)


def find_access(code: str) -> PortalAccess | None:
    """The open access with this code, if any."""
    return _open_with_code(code).first()


def sign_in(
    *, code: str, pin: str = "", new_pin: str = "", new_pin_again: str = ""
) -> PortalAccess:
    """Check a code and PIN (or, the first time, set the PIN). Wrong PINs lock the access for a
    while; an unknown, closed or expired code gets the same kind message as a wrong PIN."""
    wrong = SignInRefused(_("The code or the PIN is not right. Try again."))
    access = _open_with_code(code).select_for_update().select_related("user").first()
    if access is None:
        raise wrong
    if access.is_locked():
        raise SignInRefused(
            _(
                "You have tried too many times. Take a break and try again in %(minutes)d "
                "minutes, or ask your caseworker for help."
            )
            % {"minutes": settings.STEMME_PORTAL_LOCK_MINUTES}
        )
    if not access.has_pin:
        if access.code_expires_at < timezone.now():
            raise SignInRefused(
                _("The code is too old. Ask your caseworker for a new one. It is not your fault.")
            )
        _check_pin_shape(new_pin)
        if new_pin != new_pin_again:
            raise SignInRefused(_("The two PINs are not the same. Try again."))
        access.pin_hash = make_password(new_pin)
    elif not check_password(pin, access.pin_hash):
        access.failed_pins += 1
        if access.failed_pins >= settings.STEMME_PORTAL_PIN_TRIES:
            access.failed_pins = 0
            access.locked_until = timezone.now() + timedelta(
                minutes=settings.STEMME_PORTAL_LOCK_MINUTES
            )
        access.save(update_fields=["failed_pins", "locked_until"])
        raise wrong
    access.failed_pins, access.locked_until = 0, None
    access.last_sign_in_at = timezone.now()
    return save_recorded(access, actor=access.user, validate=False)


def is_working_hours(at=None) -> bool:
    at = timezone.localtime(at or timezone.now())
    start, end = settings.STEMME_WORKING_HOURS
    return at.weekday() < 5 and start <= at.hour < end


@transaction.atomic
def talk_request(*, actor, child, kind: str, message: str = "") -> TalkRequest:
    """The child asks to talk. It is saved first (so it is never lost), then the caseworker is
    told at once, and outside working hours the municipality's on-call duty as well."""
    if kind not in TalkKind.values:
        raise ValidationError({"kind": _("Choose one of the buttons.")})
    request = save_recorded(
        TalkRequest(child=child, kind=kind, message=message.strip()[:2000]), actor=actor
    )
    from portal.tasks import send_talk_alert

    transaction.on_commit(lambda: send_talk_alert.enqueue(request.pk))
    return request


@transaction.atomic
def talk_answer(*, actor, request: TalkRequest) -> TalkRequest:
    if request.answered_at is not None:
        raise ValidationError(_("Someone has already answered."))
    request.answered_at, request.answered_by = timezone.now(), actor
    return save_recorded(request, actor=actor, validate=False)
