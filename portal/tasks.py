"""Background tasks of the portal, run by the database worker."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from continuity.services import responsible_assignment
from core.worker import send_mail_once
from portal.models import TalkKind, TalkRequest


@task(queue_name="urgent", priority=100)
def send_talk_alert(request_id: int, attempt: int = 1) -> list[str]:
    """Tell the child's caseworker (and outside working hours the on-call duty) that the child
    asked to talk. The mail names no child (e-mail is not a case file): it gives the case number
    and the link; what the child wrote stays in Stemme.

    It runs on the urgent queue, is sent once per request however often the task runs (a worker
    killed mid-send is taken up again, core.worker), and a mail server that fails is tried again
    after 1, 2, 4 … minutes; until it went out, the caseworker's start page and the child's
    portal say that it has not (TalkRequest.delivery_late)."""
    from portal.services import is_working_hours

    talk = TalkRequest.objects.select_related("child__municipality").get(pk=request_id)
    child = talk.child
    recipients = []
    assignment = responsible_assignment(child)
    if assignment is not None and assignment.caseworker.email:
        recipients.append(assignment.caseworker.email)
    if not is_working_hours(talk.created_at) and child.municipality.on_call_email:
        recipients.append(child.municipality.on_call_email)
    if recipients:
        with translation.override(settings.LANGUAGE_CODE):
            subject = (
                _("A child does not feel safe")
                if talk.kind == TalkKind.UNSAFE
                else _("A child asks to talk")
            )
            body = _(
                'A child (case %(number)d) pressed "%(what)s" in Stemme. Open the '
                "child's page now: %(url)s"
            ) % {
                "number": child.pk,
                "what": talk.get_kind_display(),
                "url": f"{settings.STEMME_PUBLIC_URL.rstrip('/')}/children/{child.pk}/",
            }
        try:
            send_mail_once(
                key=f"talk:{talk.pk}",
                subject=subject,
                body=body,
                recipients=recipients,
                urgent=True,
            )
        except Exception:
            if attempt < settings.STEMME_ALERT_MAIL_ATTEMPTS:
                send_talk_alert.using(
                    run_after=timezone.now() + timedelta(minutes=2 ** (attempt - 1))
                ).enqueue(request_id, attempt + 1)
            raise
    TalkRequest.objects.filter(pk=talk.pk).update(notified=", ".join(recipients)[:300])
    return recipients


def _notices():
    return {
        "complaint": _("A child has complained in Stemme"),
        "disagrees": _("A child does not agree with a plan or decision"),
        "prepared": _("A child has prepared the next meeting"),
        # Someone may be guessing the child's PIN: the caseworker talks with the child and
        # makes a new code.
        "portal_closed": _("A child's access to My Stemme was closed after repeated wrong PINs"),
    }


@task()
def send_caseworker_notice(child_id: int, what: str) -> list[str]:
    """Tell the caseworker that the child wrote something in the portal that they should read.
    Like every mail from Stemme it names no child; the text stays in Stemme."""
    from cases.models import Child

    child = Child.objects.get(pk=child_id)
    assignment = responsible_assignment(child)
    if assignment is None or not assignment.caseworker.email:
        return []
    with translation.override(settings.LANGUAGE_CODE):
        send_mail(
            _notices()[what],
            _("Read it on the child's page (case %(number)d): %(url)s")
            % {
                "number": child.pk,
                "url": f"{settings.STEMME_PUBLIC_URL.rstrip('/')}/children/{child.pk}/",
            },
            settings.DEFAULT_FROM_EMAIL,
            [assignment.caseworker.email],
        )
    return [assignment.caseworker.email]
