"""Writes for the child's feedback: requests, answers saved one question at a time, alerts."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AccessAction
from audit.services import access_record
from feedback import scoring
from feedback.models import (
    Channel,
    FeedbackAlert,
    FeedbackRequest,
    FeedbackResponse,
    Instrument,
    ItemAnswer,
    Respondent,
    token_digest,
)


@transaction.atomic
def feedback_request_create(
    *, actor, child, instrument: Instrument, channel: str, conversation=None, network_member=None
) -> tuple[FeedbackRequest, str]:
    """A single-use invitation to answer; returns it with its secret (shown only now)."""
    version = instrument.current_version()
    if version is None:
        raise ValidationError(_("This instrument has no published version."))
    if instrument.municipality_id not in (None, child.municipality_id):
        raise ValidationError(_("Choose one of your municipality's instruments."))
    if instrument.respondent == Respondent.NETWORK and network_member is None:
        raise ValidationError({"network_member": _("Choose who in the network answers.")})
    if network_member is not None and network_member.child_id != child.pk:
        raise ValidationError({"network_member": _("Choose a person from the child's network.")})
    if conversation is not None and conversation.child_id != child.pk:
        raise ValidationError({"conversation": _("Choose one of the child's own meetings.")})
    token = secrets.token_urlsafe(24)
    hours = (
        settings.STEMME_FEEDBACK_LINK_HOURS
        if channel == Channel.LINK
        else settings.STEMME_FEEDBACK_SCREEN_HOURS
    )
    request = FeedbackRequest.objects.create(
        child=child,
        conversation=conversation,
        version=version,
        respondent=instrument.respondent,
        network_member=network_member,
        channel=channel,
        token_hash=token_digest(token),
        expires_at=timezone.now() + timedelta(hours=hours),
        created_by=actor,
    )
    return request, token


def request_for_token(token: str) -> FeedbackRequest | None:
    if not token or len(token) > 100:
        return None
    return (
        FeedbackRequest.objects.filter(token_hash=token_digest(token))
        .select_related("child", "version__instrument")
        .first()
    )


@transaction.atomic
def response_for(request: FeedbackRequest) -> FeedbackResponse:
    """The answer in progress for this request (started the first time it is opened)."""
    existing = FeedbackResponse.objects.filter(request=request).first()
    if existing is not None:
        return existing
    age = request.child.age()
    # get_or_create: two taps opening the link at once find the one answer, not an error.
    response, _created = FeedbackResponse.objects.get_or_create(
        request=request,
        defaults={
            "child": request.child,
            "version": request.version,
            "respondent": request.respondent,
            "scale": scoring.scale_for_age(age, request.version.faces_below_age),
            "child_age": age,
        },
    )
    return response


def _log(response: FeedbackResponse, record: str) -> None:
    access_record(user=None, action=AccessAction.ANSWER, child=response.child, record=record)


@transaction.atomic
def answer_item(*, response: FeedbackResponse, item, value: int | None) -> ItemAnswer:
    """Save one answer at once (None: the child skipped the question)."""
    if response.is_complete:
        raise ValidationError(_("This answer is already sent. Thank you!"))
    if item.version_id != response.version_id:
        raise ValidationError(_("That question does not belong here."))
    normalized = None
    if value is not None:
        if not scoring.is_valid(value, response.scale):
            raise ValidationError(_("Choose one of the answers on the screen."))
        normalized = scoring.normalize(value, response.scale)
    answer, _created = ItemAnswer.objects.update_or_create(
        response=response, item=item, defaults={"value": value, "normalized": normalized}
    )
    return answer


def _previous_score(response: FeedbackResponse):
    return (
        FeedbackResponse.objects.filter(
            child=response.child,
            respondent=response.respondent,
            version__instrument=response.version.instrument,
            completed_at__isnull=False,
            declined=False,
            score__isnull=False,
        )
        .exclude(pk=response.pk)
        .order_by("-completed_at")
        .values_list("score", flat=True)
        .first()
    )


def _close_once(response: FeedbackResponse, **fields) -> bool:
    """Set the closing fields only if the answer is still open; True for the one call that did."""
    return bool(
        FeedbackResponse.objects.filter(pk=response.pk, completed_at__isnull=True).update(**fields)
    )


@transaction.atomic
def complete(*, response: FeedbackResponse) -> list[FeedbackAlert]:
    """The child is done: the score is computed and alerts are raised where the rules say."""
    if response.is_complete:
        return []
    previous = _previous_score(response)
    score = scoring.score(list(response.answers.values_list("normalized", flat=True)))
    now = timezone.now()
    # Complete once: a double tap sends two requests that both read the answer as open. The
    # conditional UPDATE lets exactly one of them through, on SQLite and PostgreSQL alike.
    if not _close_once(response, score=score, completed_at=now):
        response.refresh_from_db()
        return []
    response.score, response.completed_at = score, now
    _log(response, "feedback_answer")
    if response.respondent != Respondent.CHILD or not response.version.instrument.after_meeting:
        return []
    version = response.version
    return [
        FeedbackAlert.objects.create(child=response.child, response=response, kind=kind)
        for kind in scoring.alerts(
            response.score, previous, version.alert_below, version.alert_drop
        )
    ]


@transaction.atomic
def decline(*, response: FeedbackResponse) -> FeedbackResponse:
    """The child said "I don't want to answer" — a respected answer, not a failure."""
    if not response.is_complete:
        now = timezone.now()
        if _close_once(response, declined=True, completed_at=now):
            response.declined, response.completed_at = True, now
            _log(response, "feedback_declined")
        else:
            response.refresh_from_db()
    return response


@transaction.atomic
def alert_acknowledge(*, actor, alert: FeedbackAlert, note: str) -> FeedbackAlert:
    if not (note or "").strip():
        raise ValidationError({"note": _("Write what you did or will do about it.")})
    now = timezone.now()
    acknowledged = FeedbackAlert.objects.filter(pk=alert.pk, acknowledged_at__isnull=True).update(
        acknowledged_by=actor, acknowledged_at=now, note=note.strip()
    )
    if not acknowledged:
        raise ValidationError(_("This alert has already been acknowledged."))
    alert.acknowledged_by, alert.acknowledged_at, alert.note = actor, now, note.strip()
    return alert
