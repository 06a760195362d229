"""Background tasks of the life book, run by the database worker (`manage.py db_worker`)."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from accounts.models import User
from accounts.services import set_password_url
from cases.models import ContributorLink
from core.worker import send_mail_once
from lifebook.models import Reminder
from lifebook.services import contributors_behind


@task()
def send_lifebook_reminder(link_id: int) -> bool:
    """E-mail one contributor who is behind. The mail names no child: e-mail is not a case file."""
    link = ContributorLink.objects.current().filter(pk=link_id).select_related("user").first()
    if link is None or not link.user.email:
        return False
    if not any(b.contributor.pk == link.user_id for b in contributors_behind([link.child_id])):
        return False
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("A life book is waiting for you")
        body = _(
            "A child's life book is waiting for a new entry from you: a photo and a couple "
            "of lines are enough. Sign in to Stemme to add it: %(url)s"
        ) % {"url": settings.STEMME_PUBLIC_URL}
    # Once per link and day, recorded before it is sent: a worker killed mid-batch and taken
    # up again never sends the same reminder twice (core.worker).
    sent = send_mail_once(
        key=f"lifebook-reminder:{link.pk}:{timezone.localdate().isoformat()}",
        subject=subject,
        body=body,
        recipients=[link.user.email],
        urgent=False,
    )
    if sent:
        Reminder.objects.create(link=link)
    return sent


def enqueue_reminders() -> int:
    """Queue a reminder for every contributor who is behind and was not reminded lately."""
    behind = contributors_behind(
        ContributorLink.objects.current().values_list("child_id", flat=True)
    )
    now = timezone.now()
    reminded = {
        (link_id, sent_at)
        for link_id, sent_at in Reminder.objects.filter(
            link_id__in=[item.link.pk for item in behind]
        ).values_list("link_id", "sent_at")
    }
    queued = 0
    for item in behind:
        days = settings.STEMME_LIFEBOOK_CADENCE_DAYS.get(item.role, 0)
        recent = now - timedelta(days=max(1, days // 2))
        if any(link_id == item.link.pk and sent >= recent for link_id, sent in reminded):
            continue
        send_lifebook_reminder.enqueue(item.link.pk)
        queued += 1
    return queued


@task()
def send_contributor_invitation(user_id: int) -> bool:
    """E-mail a new contributor a link to choose their password. Like the reminders, the mail
    names no child."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email or user.has_usable_password():
        return False
    url = set_password_url(user)
    with translation.override(settings.LANGUAGE_CODE):
        send_mail(
            _("You are invited to contribute to a child's life book"),
            _(
                "Hello %(name)s\n\nThe municipality's caseworker has invited you to add photos "
                "and stories to the life book of a child you care for. Choose your password "
                "here (the link works for %(days)d days): %(url)s\n\nYour user name is "
                "%(username)s."
            )
            % {
                "name": user.get_full_name(),
                "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
                "url": url,
                "username": user.username,
            },
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        )
    return True


@task()
def render_book_task(export_id: int) -> int:
    """Make the life book PDF in the background; the page shows the progress meanwhile."""
    from lifebook.models import BookExport, BookStatus

    export = BookExport.objects.select_related("child").get(pk=export_id)
    try:
        from lifebook.book import render_book

        render_book(export)
    except Exception:
        BookExport.objects.filter(pk=export_id).update(status=BookStatus.FAILED)
        raise
    return export.pages
