"""Writes of users: a staff member's own profile, and what an administrator changes."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from accounts.models import User
from audit.models import AccessAction
from audit.services import access_record
from core.uploads import clean_image, thumbnail_of


@transaction.atomic
def profile_update(*, actor, phone: str, title: str, photo=None, remove_photo=False):
    """The staff member's phone, title and photo (re-encoded, so no location or other metadata
    from the camera reaches a child)."""
    actor.phone, actor.title = phone.strip(), title.strip()
    if photo is not None:
        clean: ContentFile = thumbnail_of(clean_image(photo), size=400)
        actor.photo.save(f"{actor.pk}.jpg", clean, save=False)
    elif remove_photo:
        actor.photo = ""
    actor._change_reason = "profile"
    actor.save()
    return actor


# What an administrator (or operator) does to a person's access. Each is written to the access
# log as a security event, filed under the person's municipality so its head of department sees
# it in /audit/, and the person is told by e-mail. An administrator never sets or learns a
# password: a new user and a reset get a one-use link to choose their own (ASVS 2.5, 3.3).


def _person(user) -> str:
    """The person a security event concerns, as the log shows it."""
    return f"{user.get_full_name() or user.username} ({user.username})"[:100]


def _security_event(*, actor, user, action: str, detail: str = "") -> None:
    access_record(
        user=actor,
        action=action,
        record=_person(user),
        purpose=detail,
        municipality=user.municipality,
    )


def _tell(*, actor, user, action: str, emails=None) -> None:
    """E-mail the person once the change is committed."""
    from accounts.tasks import send_security_notice

    to = [email for email in (emails or [user.email]) if email]
    if to:
        name = actor.get_full_name() or actor.username
        transaction.on_commit(lambda: send_security_notice.enqueue(user.pk, action, name, to))


def _send_password_link(user) -> None:
    from accounts.tasks import send_password_link

    transaction.on_commit(lambda: send_password_link.enqueue(user.pk))


def role_change_refusal(*, actor, user, role: str) -> str | None:
    """Why `actor` may not give `user` this role, or None. Nobody changes their own role: an
    administrator who made themselves head of department would reach every child's case."""
    if user.pk is not None and user.pk == actor.pk:
        current = User.objects.filter(pk=user.pk).values_list("role", flat=True).first()
        if current is not None and role != current:
            return _("Nobody can change their own role. Ask another administrator.")
    return None


@transaction.atomic
def user_create(*, actor, user: User) -> User:
    """A new user made by an administrator: no password until the person chooses one from the
    one-use link e-mailed to them."""
    if not user.email:
        raise ValidationError({"email": _("A new user needs an e-mail address for the link.")})
    user.set_unusable_password()
    user._history_user = actor
    user.save()
    _security_event(actor=actor, user=user, action=AccessAction.ROLE_CHANGE, detail=f"→{user.role}")
    _send_password_link(user)
    return user


@transaction.atomic
def user_update(*, actor, user: User) -> User:
    """Save an administrator's change to a user (the change form, a revert, an action). Role,
    activation and e-mail changes are security events, told to the person."""
    before = User.objects.select_for_update().get(pk=user.pk)
    refusal = role_change_refusal(actor=actor, user=user, role=user.role)
    if refusal:
        raise ValidationError({"role": refusal})
    if before.is_active and not user.is_active:
        user.left_on = user.left_on or timezone.localdate()
    user._history_user = actor
    user.save()
    if before.role != user.role:
        detail = f"{before.role}→{user.role}"
        _security_event(actor=actor, user=user, action=AccessAction.ROLE_CHANGE, detail=detail)
        _tell(actor=actor, user=user, action=AccessAction.ROLE_CHANGE)
    if before.is_active != user.is_active:
        action = AccessAction.USER_ACTIVATE if user.is_active else AccessAction.USER_DEACTIVATE
        _security_event(actor=actor, user=user, action=action)
        _tell(actor=actor, user=user, action=action)
    if before.email != user.email:
        # The old address is told too: a link to a new address is how an account is taken.
        _security_event(actor=actor, user=user, action=AccessAction.EMAIL_CHANGE)
        _tell(
            actor=actor,
            user=user,
            action=AccessAction.EMAIL_CHANGE,
            emails=[before.email, user.email],
        )
    return user


@transaction.atomic
def user_deactivate(*, actor, user: User) -> User:
    """The user can no longer sign in; nothing of theirs is removed."""
    user.is_active = False
    return user_update(actor=actor, user=user)


# An administrator who changed a person's e-mail address and then sent a reset link there would
# learn a working password. The old address is told of the change; this is the time it has to
# react before a link may go to the new one.
EMAIL_CHANGE_COOLING = timedelta(hours=24)


def email_changed_recently(user: User) -> bool:
    """Whether the user's e-mail address was changed (not first set) within the cooling time."""
    since = timezone.now() - EMAIL_CHANGE_COOLING
    history = user.history.order_by("history_date")
    before = history.filter(history_date__lt=since).values_list("email", flat=True).last()
    recent = history.filter(history_date__gte=since).values_list("email", flat=True)
    return len({email for email in [before, *recent] if email}) > 1


@transaction.atomic
def user_password_reset(*, actor, user: User) -> None:
    """The old password stops working at once (and every session signed in with it ends); the
    person chooses a new one from a one-use link sent to their own e-mail address."""
    if not user.email:
        raise ValidationError(
            _("This user has no e-mail address. Add one first; the link is sent there.")
        )
    if email_changed_recently(user):
        raise ValidationError(
            _(
                "The e-mail address was changed less than 24 hours ago. So that nobody can take "
                "over an account, a link can be sent there only when 24 hours have passed."
            )
        )
    user.set_unusable_password()
    user._history_user = actor
    user.save(update_fields=["password"])
    _security_event(actor=actor, user=user, action=AccessAction.PASSWORD_RESET)
    _send_password_link(user)


@transaction.atomic
def user_second_factor_reset(*, actor, user: User) -> None:
    """A lost phone: the old authenticator stops working at once; the user sets up a new one at
    the next sign-in."""
    for device in TOTPDevice.objects.select_for_update().filter(user=user):
        device.key = default_key()
        device.confirmed = False
        device.save(update_fields=["key", "confirmed"])
    _security_event(actor=actor, user=user, action=AccessAction.SECOND_FACTOR_RESET)
    _tell(actor=actor, user=user, action=AccessAction.SECOND_FACTOR_RESET)


def set_password_url(user: User) -> str:
    """The one-use link with which a person chooses their password (it stops working once a
    password is set, and after `PASSWORD_RESET_TIMEOUT`)."""
    path = reverse(
        "accounts:set_password",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.STEMME_PUBLIC_URL.rstrip("/") + path
