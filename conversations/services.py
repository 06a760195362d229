"""Writes for conversations. A conversation is saved piece by piece as it is prepared, held
and documented, so nothing half-written is ever lost; it stays a draft until marked held."""

from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api import webhooks
from conversations.models import (
    BisidderExclusionExtent,
    BisidderExclusionGround,
    Conversation,
    ConversationKind,
    ConversationStatus,
    NotHeldReason,
    Statement,
    Tool,
    ToolRecord,
    Wish,
)
from conversations.readability import require_readable
from conversations.tools import tools_for_age
from core.dates import age_on
from core.services import save_recorded
from core.uploads import clean_image


def _check_preparation(conversation: Conversation) -> None:
    child = conversation.child
    errors = {}
    meeting_day = timezone.localtime(conversation.planned_at).date()
    bisidder = conversation.bisidder
    if bisidder is not None:
        # Barnets lov § 6, stk. 4: a bisidder must be at least 15 years old (a setting).
        if bisidder.child_id != child.pk:
            errors["bisidder"] = _("Choose a person from the child's own network.")
        elif bisidder.birth_date is None:
            errors["bisidder"] = _(
                "Record the support person's birth date in the network first: a bisidder must "
                "be at least %(age)d years old."
            ) % {"age": settings.STEMME_BISIDDER_MIN_AGE}
        elif age_on(bisidder.birth_date, meeting_day) < settings.STEMME_BISIDDER_MIN_AGE:
            errors["bisidder"] = _(
                "A bisidder must be at least %(age)d years old on the day of the meeting."
            ) % {"age": settings.STEMME_BISIDDER_MIN_AGE}
    second = conversation.second_caseworker
    if second is not None and (
        second.municipality_id != child.municipality_id or not second.is_active
    ):
        errors["second_caseworker"] = _("Choose an active caseworker in the child's municipality.")
    # Barnets lov § 21: important meetings in a new assessment should have two caseworkers.
    if (
        conversation.kind == ConversationKind.ASSESSMENT
        and second is None
        and not conversation.no_second_caseworker_reason.strip()
    ):
        errors["second_caseworker"] = _(
            "An assessment conversation should have two caseworkers (§ 21). Choose the second "
            "caseworker, or say why there is only one."
        )
    for field, linked in (
        ("decision", conversation.decision),
        ("concern_report", conversation.concern_report),
        ("measure", conversation.measure),
    ):
        if linked is not None and linked.case.child_id != child.pk:
            errors[field] = _("Choose one of this child's own records.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def conversation_plan(*, actor, child, **fields) -> Conversation:
    """Plan and prepare a conversation with the child (it is saved as a draft at once)."""
    conversation = Conversation(child=child, created_by=actor, **fields)
    _check_preparation(conversation)
    return save_recorded(conversation, actor=actor)


@transaction.atomic
def conversation_prepare(*, actor, conversation: Conversation, **fields) -> Conversation:
    for name, value in fields.items():
        setattr(conversation, name, value)
    _check_preparation(conversation)
    return save_recorded(conversation, actor=actor)


@transaction.atomic
def conversation_mark_held(
    *, actor, conversation: Conversation, held_at: datetime, caseworker_observations: str = ""
) -> Conversation:
    """The conversation took place; the child's age then decides the tools that fit."""
    if held_at > timezone.now() + timezone.timedelta(minutes=5):
        raise ValidationError({"held_at": _("A conversation cannot be held in the future.")})
    conversation.status = ConversationStatus.HELD
    conversation.held_at = held_at
    conversation.child_age_when_held = age_on(
        conversation.child.birth_date, timezone.localtime(held_at).date()
    )
    conversation.caseworker_observations = caseworker_observations
    conversation.not_held_reason = ""
    return save_recorded(conversation, actor=actor)


@transaction.atomic
def conversation_mark_not_held(
    *, actor, conversation: Conversation, reason: str, view_obtained_otherwise: str = ""
) -> Conversation:
    """Barnets lov § 5: a refusal, or age or circumstances weighing decisively against it,
    with how the child's view was obtained instead."""
    if reason == NotHeldReason.AGE_OR_CIRCUMSTANCES and not view_obtained_otherwise.strip():
        raise ValidationError(
            {"view_obtained_otherwise": _("Say how the child's view was obtained instead.")}
        )
    conversation.status = ConversationStatus.NOT_HELD
    conversation.not_held_reason = reason
    conversation.view_obtained_otherwise = view_obtained_otherwise
    save_recorded(conversation, actor=actor)
    _announce_documented(conversation)
    return conversation


@transaction.atomic
def conversation_bisidder_right_told(
    *, actor, conversation: Conversation, told_on: date, how: str = ""
) -> Conversation:
    """Barnets lov § 6, stk. 1: the municipality tells the child of the right to a bisidder;
    record when and how."""
    if told_on > timezone.localdate():
        raise ValidationError({"told_on": _("The day cannot be in the future.")})
    conversation.bisidder_right_told_on = told_on
    conversation.bisidder_right_told_how = (how or "").strip()
    return save_recorded(conversation, actor=actor)


@transaction.atomic
def conversation_bisidder_excluded(
    *,
    actor,
    conversation: Conversation,
    ground: str,
    extent: str,
    reason: str,
    decided_on: date,
    part: str = "",
) -> Conversation:
    """Barnets lov § 6, stk. 2-3: the decision to hold the conversation, or part of it, without
    the bisidder — kept with its ground, its reason, when and by whom.

    Stk. 2 sets the right aside (or the child's choice of bisidder) for the meeting as a whole;
    only stk. 3 — to hear the child's unreserved view — excludes a bisidder from part of it."""
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = _("Write why the conversation is held without the bisidder.")
    if extent == BisidderExclusionExtent.PART:
        if ground != BisidderExclusionGround.UNRESERVED_VIEW:
            errors["extent"] = _(
                "Only to hear the child's unreserved view (§ 6, stk. 3) can the bisidder be left "
                "out of part of the conversation. The other grounds concern the whole of it."
            )
        elif not (part or "").strip():
            errors["part"] = _("Say which part of the conversation is held without the bisidder.")
    if ground != BisidderExclusionGround.WEIGHTY_INTERESTS and conversation.bisidder is None:
        errors["ground"] = _(
            "Name the child's bisidder in the preparation first: this ground concerns a "
            "particular bisidder."
        )
    if decided_on > timezone.localdate():
        errors["decided_on"] = _("The day cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    conversation.bisidder_exclusion_ground = ground
    conversation.bisidder_exclusion_extent = extent
    conversation.bisidder_exclusion_part = (
        part.strip() if extent == BisidderExclusionExtent.PART else ""
    )
    conversation.bisidder_exclusion_reason = reason.strip()
    conversation.bisidder_exclusion_decided_on = decided_on
    conversation.bisidder_exclusion_decided_by = actor
    return save_recorded(conversation, actor=actor)


@transaction.atomic
def tool_record_add(*, actor, conversation: Conversation, tool: str, **fields) -> ToolRecord:
    """Record what came out of a tool; it must fit the child's age; drawings are re-encoded."""
    if tool not in tools_for_age(conversation.child_age_at()):
        raise ValidationError({"tool": _("This tool does not fit the child's age.")})
    drawing = fields.pop("drawing", None)
    if tool == Tool.DRAWING and not drawing:
        raise ValidationError({"drawing": _("Choose the picture of the drawing.")})
    if tool == Tool.SCALE and fields.get("scale_value") is None:
        raise ValidationError({"scale_value": _("Give the child's answer from 0 to 10.")})
    record = ToolRecord(conversation=conversation, tool=tool, **fields)
    if drawing:
        record.drawing.save(f"drawing-{conversation.pk}.jpg", clean_image(drawing), save=False)
    return save_recorded(record, actor=actor)


@transaction.atomic
def statement_add(*, actor, conversation: Conversation, text: str, visibility: str) -> Statement:
    if not (text or "").strip():
        raise ValidationError({"text": _("Write what the child said.")})
    return save_recorded(
        Statement(conversation=conversation, text=text.strip(), visibility=visibility), actor=actor
    )


@transaction.atomic
def wish_add(*, actor, conversation: Conversation, text: str) -> Wish:
    if not (text or "").strip():
        raise ValidationError({"text": _("Write the child's wish.")})
    return save_recorded(
        Wish(conversation=conversation, child=conversation.child, text=text.strip()), actor=actor
    )


@transaction.atomic
def summary_save(
    *, actor, conversation: Conversation, text: str, accept_hard_text: bool = False
) -> Conversation:
    """The short text written to the child; too hard for the child's age needs a second yes."""
    if not (text or "").strip():
        raise ValidationError({"summary_to_child": _("Write a few lines to the child.")})
    score = require_readable(
        text,
        conversation.child_age_at(),
        field="summary_to_child",
        accept_hard_text=accept_hard_text,
    )
    conversation.summary_to_child = text.strip()
    conversation.summary_lix = score
    save_recorded(conversation, actor=actor)
    _announce_documented(conversation)
    return conversation


def _announce_documented(conversation: Conversation) -> None:
    """Tell the case system (webhooks) that the conversation can be filed."""
    webhooks.notify(
        webhooks.CONVERSATION_DOCUMENTED, child=conversation.child, record_id=conversation.pk
    )
