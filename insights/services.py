"""Writes of the insights app: a round of the municipality's self-assessment."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from core.services import save_recorded
from insights.models import STATEMENTS, TOP_SCORE, SelfAssessment, SelfAssessmentAnswer

ASSESSORS = (Role.TEAM_LEADER, Role.HEAD_OF_DEPARTMENT)


def may_self_assess(user) -> bool:
    """Leaders answer the self-assessment for their municipality."""
    return user.role in ASSESSORS and user.municipality_id is not None


@transaction.atomic
def self_assessment_record(
    *,
    actor,
    carried_out_on: date,
    agreements: dict[str, int],
    comments: dict[str, str] | None = None,
    note: str = "",
) -> SelfAssessment:
    """Record one round: every statement answered, the score (0-100) stored with it."""
    if not may_self_assess(actor):
        raise PermissionDenied
    if carried_out_on > timezone.localdate():
        raise ValidationError({"carried_out_on": _("The day cannot be in the future.")})
    missing = [key for key in STATEMENTS if key not in agreements]
    if missing or any(not 0 <= agreements[key] <= TOP_SCORE for key in STATEMENTS):
        raise ValidationError(_("Answer every statement."))
    comments = comments or {}
    score = round(100 * sum(agreements[key] for key in STATEMENTS) / (TOP_SCORE * len(STATEMENTS)))
    assessment = save_recorded(
        SelfAssessment(
            municipality_id=actor.municipality_id,
            carried_out_on=carried_out_on,
            created_by=actor,
            note=note.strip(),
            score=score,
        ),
        actor=actor,
    )
    for key in STATEMENTS:
        save_recorded(
            SelfAssessmentAnswer(
                assessment=assessment,
                statement=key,
                agreement=agreements[key],
                comment=(comments.get(key) or "").strip()[:500],
            ),
            actor=actor,
        )
    return assessment
