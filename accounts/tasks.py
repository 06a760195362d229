"""E-mails about a person's own account, sent by the database worker (`manage.py db_worker`).
They name no child: e-mail is not a case file."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from accounts.models import Role, User
from audit.models import AccessAction


def _change_in_words(user: User, action: str) -> str:
    if action == AccessAction.ROLE_CHANGE:
        return _("Your role in Stemme is now: %(role)s.") % {"role": Role(user.role).label}
    if action == AccessAction.USER_ACTIVATE:
        return _("Your Stemme account has been activated.")
    if action == AccessAction.USER_DEACTIVATE:
        return _("Your Stemme account has been deactivated: you can no longer sign in.")
    if action == AccessAction.SECOND_FACTOR_RESET:
        return _(
            "The second factor of your Stemme account has been reset: your authenticator app "
            "no longer works for Stemme, and you set it up again at your next sign-in."
        )
    if action == AccessAction.EMAIL_CHANGE:
        return _("The e-mail address of your Stemme account is now %(email)s.") % {
            "email": user.email
        }
    raise ValueError(action)


@task()
def send_security_notice(user_id: int, action: str, actor_name: str, emails: list[str]) -> bool:
    """Tell a person that an administrator changed their access, so a change they did not
    expect is noticed."""
    user = User.objects.filter(pk=user_id).first()
    if user is None or not emails:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        send_mail(
            _("Your Stemme account was changed"),
            _(
                "Hello %(name)s\n\n%(change)s\n\nThe change was made by %(actor)s. If you did "
                "not expect it, tell your head of department at once."
            )
            % {
                "name": user.get_full_name() or user.username,
                "change": _change_in_words(user, action),
                "actor": actor_name,
            },
            settings.DEFAULT_FROM_EMAIL,
            emails,
        )
    return True


@task()
def send_password_link(user_id: int) -> bool:
    """E-mail a staff member the one-use link to choose their password (a new account, or a
    reset by the administrator, who never learns it)."""
    from accounts.services import set_password_url

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email or user.has_usable_password():
        return False
    with translation.override(settings.LANGUAGE_CODE):
        send_mail(
            _("Choose your password for Stemme"),
            _(
                "Hello %(name)s\n\nYour administrator has asked Stemme to send you a link to "
                "choose a new password (the link works once, for %(days)d days): %(url)s\n\n"
                "Your user name is %(username)s. If you did not expect this, tell your head of "
                "department at once."
            )
            % {
                "name": user.get_full_name() or user.username,
                "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
                "url": set_password_url(user),
                "username": user.username,
            },
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        )
    return True
