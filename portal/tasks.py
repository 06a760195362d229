"""Background tasks of the portal, run by the database worker."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from continuity.services import responsible_assignment
from portal.models import TalkKind, TalkRequest


@task()
def send_talk_alert(request_id: int) -> list[str]:
    """Tell the child's caseworker (and outside working hours the on-call duty) that the child
    asked to talk. The mail names no child (e-mail is not a case file): it gives the case number
    and the link; what the child wrote stays in Stemme."""
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
            send_mail(
                subject,
                _(
                    'A child (case %(number)d) pressed "%(what)s" in Stemme. Open the '
                    "child's page now: %(url)s"
                )
                % {
                    "number": child.pk,
                    "what": talk.get_kind_display(),
                    "url": f"{settings.STEMME_PUBLIC_URL.rstrip('/')}/children/{child.pk}/",
                },
                settings.DEFAULT_FROM_EMAIL,
                recipients,
            )
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
