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
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from audit.models import AccessAction
from audit.services import access_record
from cases.cpr import normalise_cpr
from conversations.models import ConversationStatus
from core.services import save_recorded
from plans.models import Complaint, ComplaintFrom
from plans.services import complaint_record, plan_record_child_response
from portal.models import (
    ChildResponse,
    CodeFailure,
    MeetingPreparation,
    PortalAccess,
    RevokedReason,
    SignInRecord,
    TalkKind,
    TalkRequest,
)

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


def _open_with_code(code: str):
    return PortalAccess.objects.filter(code_digest=code_digest(code), revoked_at__isnull=True)


def _log_attempt(record: str, *, child=None) -> None:
    access_record(
        user=None,
        action=AccessAction.SIGN_IN_FAILED,
        child=child,
        record=record,
        path=reverse("portal:login"),
    )


def _refuse_if_address_paused(address: str) -> None:
    """Too many unknown codes from one client address pause the sign-in from there, before any
    code is looked at (guessing codes from one place is stopped)."""
    since = timezone.now() - timedelta(minutes=settings.STEMME_PORTAL_LOCK_MINUTES)
    failures = CodeFailure.objects.filter(address=address, at__gte=since).count()
    if failures >= settings.STEMME_PORTAL_CODE_FAILURES:
        raise SignInRefused(
            _(
                "There have been too many tries from here. Wait %(minutes)d minutes and try "
                "again, or ask your caseworker for help."
            )
            % {"minutes": settings.STEMME_PORTAL_LOCK_MINUTES}
        )


def _unknown_code(address: str) -> None:
    CodeFailure.objects.create(address=address)
    _log_attempt(f"{SignInRecord.UNKNOWN_CODE} {address}")


@transaction.atomic
def find_access(code: str, *, address: str = "") -> PortalAccess | None:
    """The open access with this code, if any; an unknown code is logged and counted against
    the client's address (SignInRefused when that address has tried too many)."""
    _refuse_if_address_paused(address)
    access = _open_with_code(code).first()
    if access is None:
        _unknown_code(address)
    return access


def sign_in(
    *, code: str, address: str = "", pin: str = "", new_pin: str = "", new_pin_again: str = ""
) -> PortalAccess:
    """Check a code and PIN (or, the first time, set the PIN). Wrong PINs pause the access for a
    while, and the access is closed after repeated pauses; an unknown, closed or expired code
    gets the same kind message as a wrong PIN. Every failure is logged (against the code's child
    when the code is known); `address` is the client's ("" outside a request)."""
    hashed = _hash_outside_the_lock(code, pin=pin, new_pin=new_pin)
    access, refusal = _check(
        code=code,
        address=address,
        pin=pin,
        new_pin=new_pin,
        new_pin_again=new_pin_again,
        hashed=hashed,
    )
    if refusal is not None:
        raise refusal  # outside the transaction, so a wrong PIN stays counted
    return access


def _hash_outside_the_lock(code: str, *, pin: str, new_pin: str) -> dict:
    """Argon2 takes most of a second on purpose. Done here, before the transaction, it never
    holds the database's write lock (on SQLite, the only one) while other children wait; the
    transaction uses the result only if the PIN it was made for is still the stored one."""
    seen = _open_with_code(code).only("pin_hash").first()
    if seen is None:
        return {}
    if seen.pin_hash:
        return {"checked": (seen.pin_hash, check_password(pin, seen.pin_hash))}
    if new_pin and len(new_pin) <= 6:
        return {"new_hash": make_password(new_pin)}
    return {}


@transaction.atomic
def _check(
    *, code, address, pin, new_pin, new_pin_again, hashed
) -> tuple[PortalAccess | None, Exception | None]:
    wrong = SignInRefused(_("The code or the PIN is not right. Try again."))
    try:
        _refuse_if_address_paused(address)
    except SignInRefused as paused:
        return None, paused
    access = _open_with_code(code).select_for_update().select_related("user").first()
    if access is None:
        _unknown_code(address)
        return None, wrong
    if access.is_locked():
        _log_attempt(SignInRecord.WHILE_PAUSED, child=access.child)
        return None, SignInRefused(
            _(
                "You have tried too many times. Take a break and try again in %(minutes)d "
                "minutes, or ask your caseworker for help."
            )
            % {"minutes": settings.STEMME_PORTAL_LOCK_MINUTES}
        )
    if not access.has_pin:
        refusal = _new_pin_problem(access, new_pin, new_pin_again)
        if refusal is not None:
            _log_attempt(SignInRecord.REFUSED, child=access.child)
            return None, refusal
        access.pin_hash = hashed.get("new_hash") or make_password(new_pin)
    elif not _pin_matches(access, pin, hashed):
        return None, _wrong_pin(access) or wrong
    access.failed_pins, access.locked_until = 0, None
    access.last_sign_in_at = timezone.now()
    return save_recorded(access, actor=access.user, validate=False), None


def _pin_matches(access: PortalAccess, pin: str, hashed: dict) -> bool:
    stored, matched = hashed.get("checked", (None, False))
    if stored == access.pin_hash:
        return matched
    return check_password(pin, access.pin_hash)  # the PIN changed meanwhile: check it again


def _new_pin_problem(access: PortalAccess, new_pin: str, new_pin_again: str):
    if access.code_expires_at < timezone.now():
        return SignInRefused(
            _("The code is too old. Ask your caseworker for a new one. It is not your fault.")
        )
    if not (new_pin.isascii() and new_pin.isdigit() and 4 <= len(new_pin) <= 6):
        return SignInRefused(_("Your PIN must be 4 to 6 digits."))
    if new_pin != new_pin_again:
        return SignInRefused(_("The two PINs are not the same. Try again."))
    return None


def _wrong_pin(access: PortalAccess) -> SignInRefused | None:
    """A wrong PIN, logged against the child. Every STEMME_PORTAL_PIN_TRIES wrong PINs pause the
    access; after STEMME_PORTAL_CLOSE_AFTER_PAUSES pauses within STEMME_PORTAL_CLOSE_WINDOW_HOURS
    someone is guessing: the code is closed and the caseworker told (None: just wrong)."""
    _log_attempt(SignInRecord.WRONG_PIN, child=access.child)
    access.failed_pins += 1
    if access.failed_pins < settings.STEMME_PORTAL_PIN_TRIES:
        access.save(update_fields=["failed_pins"])
        return None
    access.failed_pins = 0
    access.locked_until = timezone.now() + timedelta(minutes=settings.STEMME_PORTAL_LOCK_MINUTES)
    access.save(update_fields=["failed_pins", "locked_until"])
    _log_attempt(SignInRecord.PAUSED, child=access.child)
    window = timedelta(hours=settings.STEMME_PORTAL_CLOSE_WINDOW_HOURS)
    if access.pauses_since(timezone.now() - window) < settings.STEMME_PORTAL_CLOSE_AFTER_PAUSES:
        return None
    access.revoked_reason = RevokedReason.WRONG_PINS
    access_revoke(actor=access.user, access=access)
    _log_attempt(SignInRecord.CLOSED, child=access.child)
    _tell_caseworker(access.child_id, "portal_closed")
    return SignInRefused(
        _(
            "You have tried too many times, so the code is closed now. Ask your caseworker for "
            "a new code. It is not your fault."
        )
    )


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


@transaction.atomic
def meeting_prepare(*, actor, conversation, topics: str, bring: str) -> MeetingPreparation:
    """What the child wants to talk about at a planned meeting and who they want with them; the
    child can change it until the meeting is held."""
    if conversation.status != ConversationStatus.PLANNED:
        raise ValidationError(_("This meeting has already been held."))
    preparation = MeetingPreparation.all_objects.filter(conversation=conversation).first()
    preparation = preparation or MeetingPreparation(conversation=conversation)
    preparation.topics, preparation.bring = topics.strip()[:2000], bring.strip()[:200]
    preparation = save_recorded(preparation, actor=actor)
    _tell_caseworker(conversation.child_id, "prepared")
    return preparation


def _tell_caseworker(child_id: int, what: str) -> None:
    from portal.tasks import send_caseworker_notice

    transaction.on_commit(lambda: send_caseworker_notice.enqueue(child_id, what))


@transaction.atomic
def child_respond(
    *, actor, child, agrees: bool, because: str = "", plan=None, decision=None
) -> ChildResponse:
    """The child's "I agree" or "I don't agree because ..." about their plan or a decision. For
    a plan it is also written on the plan, where the caseworker records it in meetings."""
    if (plan is None) == (decision is None):
        raise ValueError("respond to exactly one plan or decision")
    because = because.strip()
    if not agrees and not because:
        raise ValidationError({"because": _("Write why you don't agree. A few words are enough.")})
    response = save_recorded(
        ChildResponse(
            child=child,
            plan=plan,
            decision=decision,
            agrees=agrees,
            because="" if agrees else because[:2000],
        ),
        actor=actor,
    )
    if plan is not None:
        plan_record_child_response(actor=actor, plan=plan, agrees=agrees, because=because)
    if not agrees:
        _tell_caseworker(child.pk, "disagrees")
    return response


@transaction.atomic
def complain(*, actor, child, decision, text: str) -> Complaint:
    """A party from 10 complains about a decision (Barnets lov §§ 144-150) within 4 weeks of
    being told of it (retssikkerhedsloven § 67, stk. 1; not told yet: still in time). The complaint
    is recorded on the case as received today, and the caseworker is told at once: the
    municipality reconsiders the decision before it goes to the appeals board."""
    if not decision.child_is_party():
        raise ValidationError(_("Your parents or a bisidder can complain for you."))
    if not decision.complaint_open(timezone.localdate()):
        raise ValidationError(
            _("The time to complain about this decision has run out. Talk to your caseworker.")
        )
    if not text.strip():
        raise ValidationError({"text": _("Write what you want to complain about.")})
    complaint = complaint_record(
        actor=actor,
        child=child,
        decision=decision,
        received_on=timezone.localdate(),
        complainant=ComplaintFrom.CHILD,
        summary=text.strip(),
    )
    _tell_caseworker(child.pk, "complaint")
    return complaint


def sign_in_with_eid(cpr: str) -> PortalAccess:
    """The national eID vouched for this CPR number: the young person's open portal access, if
    they are old enough for MitID. The caseworker's access is still needed, so revoking it
    closes this way in as well."""
    refused = SignInRefused(
        _(
            "You cannot sign in with MitID yet. Ask your caseworker to open your portal, or use "
            "your code and PIN."
        )
    )
    access = (
        PortalAccess.objects.filter(child__cpr=normalise_cpr(cpr), revoked_at__isnull=True)
        .select_related("child", "user")
        .order_by("-created_at")
        .first()
    )
    if access is None or not cpr:
        raise refused
    if access.child.age() < settings.STEMME_MITID_MIN_AGE:
        raise SignInRefused(_("MitID is for young people from 13. Use your code and PIN."))
    access.last_sign_in_at = timezone.now()
    return save_recorded(access, actor=access.user, validate=False)
