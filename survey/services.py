"""Writes of the children's survey: create it, make links, take a child's answers."""

import secrets
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from core.services import save_recorded
from feedback import scoring
from feedback.models import Scale, token_digest
from survey.models import QUESTION_TEXT, AgeGroup, Survey, SurveyAnswer, SurveyLink, SurveyResponse

ORGANISERS = (Role.TEAM_LEADER, Role.HEAD_OF_DEPARTMENT)
READERS = (*ORGANISERS, Role.ANALYST)
MAX_LINKS = 500


def may_organise(user) -> bool:
    return user.role in ORGANISERS and user.municipality_id is not None


def may_read(user) -> bool:
    return user.role in READERS and user.municipality_id is not None


@transaction.atomic
def survey_create(*, actor, title: str, opens_on: date, closes_on: date) -> Survey:
    if not may_organise(actor):
        raise PermissionDenied
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("The survey must close after it opens.")})
    return save_recorded(
        Survey(
            municipality_id=actor.municipality_id,
            title=title.strip(),
            opens_on=opens_on,
            closes_on=closes_on,
            created_by=actor,
        ),
        actor=actor,
    )


@transaction.atomic
def survey_links_make(*, actor, survey: Survey, count: int) -> list[str]:
    """Make `count` single-use links; the tokens are returned once and only their digests
    kept."""
    if not may_organise(actor) or survey.municipality_id != actor.municipality_id:
        raise PermissionDenied
    if not 1 <= count <= MAX_LINKS:
        raise ValidationError({"count": _("Make between 1 and %(n)d links.") % {"n": MAX_LINKS}})
    tokens = [secrets.token_urlsafe(18) for _i in range(count)]
    SurveyLink.objects.bulk_create(
        [SurveyLink(survey=survey, token_hash=token_digest(t), created_by=actor) for t in tokens]
    )
    return tokens


def link_for_token(token: str) -> SurveyLink | None:
    return (
        SurveyLink.objects.select_related("survey").filter(token_hash=token_digest(token)).first()
    )


def scale_for(age_group: str) -> str:
    """Faces under 10, the 0-10 scale from 10, as in the feedback tool."""
    return Scale.FACES if age_group == AgeGroup.UNDER_10 else Scale.SLIDER


@transaction.atomic
def survey_start(*, link: SurveyLink, age_group: str, living: str) -> SurveyResponse:
    """Use the link and open an answer that is not tied to it."""
    link = SurveyLink.objects.select_for_update().get(pk=link.pk)
    today = timezone.localdate()
    if link.used_on is not None:
        raise ValidationError(_("This link has already been used."))
    if not link.survey.is_open(today):
        raise ValidationError(_("This survey is not open."))
    link.used_on = today
    link.save(update_fields=["used_on"])
    response = SurveyResponse(
        survey=link.survey, age_group=age_group, living=living, answered_on=today
    )
    response.full_clean()
    response.save()
    return response


@transaction.atomic
def survey_answer(*, response: SurveyResponse, question: str, value: int | None) -> None:
    if question not in QUESTION_TEXT:
        raise ValidationError(_("Choose one of the answers on the screen."))
    scale = scale_for(response.age_group)
    if value is not None and not scoring.is_valid(value, scale):
        raise ValidationError(_("Choose one of the answers on the screen."))
    SurveyAnswer.objects.update_or_create(
        response=response,
        question=question,
        defaults={
            "value": value,
            "normalized": None if value is None else scoring.normalize(value, scale),
        },
    )


def survey_decline(*, response: SurveyResponse) -> None:
    response.declined = True
    response.save(update_fields=["declined"])
