"""Conversations with the child (børnesamtaler): prepared with a clear frame, held with
age-fitted tools, kept in the child's own words, and summarised to the child.

Barnets lov § 5 (the child's view before every decision), § 6 (bisidder: the child is told of
the right, and a decision to hold a conversation without the bisidder keeps its ground), §§ 20-21
(assessment, two caseworkers), § 137 (after a report of abuse), § 156 (supervision visits);
Offentlighedsloven § 13 (what the child says is noted as soon as possible).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Child, ConcernReport, Decision, Measure, NetworkMember
from core.dates import age_on
from core.models import KeptRecord


class ConversationKind(models.TextChoices):
    ASSESSMENT = "assessment", _("Assessment conversation")
    BEFORE_DECISION = "before_decision", _("Conversation before a decision")
    FOLLOW_UP = "follow_up", _("Follow-up conversation")
    SUPERVISION = "supervision", _("Supervision visit at the placement")
    AFTER_CONCERN = "after_concern", _("Conversation after a report of concern")
    NETWORK_MEETING = "network_meeting", _("Network meeting")
    INFORMAL = "informal", _("Informal contact")


class ConversationStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    NOT_HELD = "not_held", _("Not held")


class NotHeldReason(models.TextChoices):
    # Barnets lov § 5, stk. 3-4: a refusal is lawful; so is waiving the conversation (stk. 4)
    # where the child's age or circumstances weigh decisively against it, with the view obtained
    # another way.
    CHILD_REFUSED = "child_refused", _("The child did not want to talk")
    AGE_OR_CIRCUMSTANCES = (
        "age_or_circumstances",
        _("The child's age or circumstances weighed decisively against it"),
    )


class BisidderExclusionGround(models.TextChoices):
    # Barnets lov § 6, stk. 2, 1. pkt.
    WEIGHTY_INTERESTS = (
        "weighty_interests",
        _(
            "The child's interest in a bisidder must give way to essential public or private "
            "interests (Barnets lov § 6, stk. 2, 1st sentence)"
        ),
    )
    # Barnets lov § 6, stk. 2, 2. pkt.
    OTHER_INTERESTS = (
        "other_interests",
        _(
            "There are specific reasons to believe the chosen bisidder will look after other "
            "interests than the child's (Barnets lov § 6, stk. 2, 2nd sentence)"
        ),
    )
    # Barnets lov § 6, stk. 3
    UNRESERVED_VIEW = (
        "unreserved_view",
        _("It matters for hearing the child's unreserved view (Barnets lov § 6, stk. 3)"),
    )


class BisidderExclusionExtent(models.TextChoices):
    WHOLE = "whole", _("The whole conversation")
    PART = "part", _("Part of the conversation")


class Conversation(KeptRecord):
    """One conversation or meeting with the child, from preparation to summary."""

    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="conversations", verbose_name=_("child")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ConversationKind.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ConversationStatus.choices,
        default=ConversationStatus.PLANNED,
    )
    planned_at = models.DateTimeField(_("when"))
    place = models.CharField(_("where"), max_length=200)
    place_chosen_by_child = models.BooleanField(_("the child chose the place"), default=False)
    participants = models.TextField(
        _("who takes part"), blank=True, help_text=_("Names and roles, one per line.")
    )
    second_caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("second caseworker"),
    )
    no_second_caseworker_reason = models.CharField(
        _("why there is no second caseworker"), max_length=300, blank=True
    )
    bisidder = models.ForeignKey(
        NetworkMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("support person (bisidder) invited"),
    )
    # Barnets lov § 6, stk. 1: the child is told of the right to a bisidder.
    bisidder_right_told_on = models.DateField(
        _("the child was told of the right to a bisidder on"), null=True, blank=True
    )
    bisidder_right_told_how = models.CharField(
        _("how the child was told"), max_length=300, blank=True
    )
    # Barnets lov § 6, stk. 2-3: a decision to hold the conversation, or part of it, without the
    # bisidder — on which ground, for how much of it, why, when and by whom.
    bisidder_exclusion_extent = models.CharField(
        _("held without the bisidder"),
        max_length=10,
        choices=BisidderExclusionExtent.choices,
        blank=True,
    )
    bisidder_exclusion_ground = models.CharField(
        _("ground"), max_length=20, choices=BisidderExclusionGround.choices, blank=True
    )
    bisidder_exclusion_part = models.CharField(
        _("which part of the conversation"), max_length=300, blank=True
    )
    bisidder_exclusion_reason = models.TextField(_("the reason"), blank=True)
    bisidder_exclusion_decided_on = models.DateField(_("decided on"), null=True, blank=True)
    bisidder_exclusion_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conversations",
        verbose_name=_("the decision it comes before"),
    )
    concern_report = models.ForeignKey(
        ConcernReport,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conversations",
        verbose_name=_("the report of concern it follows"),
    )
    measure = models.ForeignKey(
        Measure,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conversations",
        verbose_name=_("the measure or placement it follows up"),
    )
    # The frame, in plain words for the child.
    frame_why = models.TextField(_("why we meet"), blank=True)
    frame_decision = models.TextField(_("what will be decided, and by whom"), blank=True)
    frame_use = models.TextField(_("what happens with what you say"), blank=True)
    frame_who_knows = models.TextField(_("who will get to know it"), blank=True)

    held_at = models.DateTimeField(_("held"), null=True, blank=True)
    child_age_when_held = models.PositiveSmallIntegerField(
        _("the child's age when held"), null=True, blank=True
    )
    caseworker_observations = models.TextField(
        _("the caseworker's observations"),
        blank=True,
        help_text=_("Your own observations, kept apart from the child's words."),
    )
    not_held_reason = models.CharField(
        _("why it was not held"), max_length=30, choices=NotHeldReason.choices, blank=True
    )
    view_obtained_otherwise = models.TextField(
        _("how the child's view was obtained instead"), blank=True
    )
    summary_to_child = models.TextField(_("summary to the child"), blank=True)
    summary_lix = models.PositiveSmallIntegerField(_("readability (LIX)"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-planned_at"]
        indexes = [models.Index(fields=["child", "planned_at"], name="conversation_child_when")]

    def __str__(self):
        return f"{self.get_kind_display()} {timezone.localtime(self.planned_at):%d.%m.%Y}"

    @property
    def is_done(self) -> bool:
        """Held, or not held for a lawful, recorded reason."""
        return self.status in (ConversationStatus.HELD, ConversationStatus.NOT_HELD)

    @property
    def when(self):
        """When it happened (or is planned)."""
        return self.held_at or self.planned_at

    def child_age_at(self) -> int:
        """The child's age on the day of the conversation."""
        return age_on(self.child.birth_date, timezone.localtime(self.when).date())


class Tool(models.TextChoices):
    THREE_HOUSES = "three_houses", _("The three houses")
    SCALE = "scale", _("Scale 0-10")
    NETWORK_MAP = "network_map", _("Who is important to me")
    DRAWING = "drawing", _("Drawing")
    OBSERVATION = "observation", _("Structured observation")


class ToolRecord(KeptRecord):
    """What came out of one age-fitted tool used in a conversation."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.PROTECT, related_name="tools", verbose_name=_("conversation")
    )
    tool = models.CharField(_("tool"), max_length=20, choices=Tool.choices)
    # The three houses
    good_things = models.TextField(_("the house of good things"), blank=True)
    worries = models.TextField(_("the house of worries"), blank=True)
    dreams = models.TextField(_("the house of dreams"), blank=True)
    # Scale
    scale_question = models.CharField(_("question"), max_length=200, blank=True)
    scale_value = models.PositiveSmallIntegerField(
        _("the child's answer (0-10)"), null=True, blank=True
    )
    # Who is important to me
    important_people = models.TextField(
        _("who is important to me"),
        blank=True,
        help_text=_("One person per line, closest first, as the child placed them."),
    )
    # Drawing (re-encoded: no metadata survives)
    drawing = models.FileField(_("drawing"), upload_to="drawings/%Y/%m/", blank=True)
    # Structured observation, for children under 6
    setting = models.CharField(_("in which setting"), max_length=200, blank=True)
    showed = models.TextField(_("what the child showed"), blank=True)
    did = models.TextField(_("what the child did"), blank=True)
    said = models.TextField(_("what the child said"), blank=True)

    class Meta:
        verbose_name = _("tool")
        verbose_name_plural = _("tools")
        ordering = ["created_at"]

    def __str__(self):
        return self.get_tool_display()


class Visibility(models.TextChoices):
    EVERYONE = "everyone", _("Everyone in the case")
    STAFF_ONLY = "staff_only", _("Staff only")
    NOT_PARENTS = "not_parents", _("Not the parents")
    CHILD_AGREES_LATER = "child_agrees_later", _("Only if the child agrees later")


class Statement(KeptRecord):
    """Something the child said, in the child's own words, with who may see it."""

    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.PROTECT,
        related_name="statements",
        verbose_name=_("conversation"),
    )
    text = models.TextField(_("in the child's own words"))
    visibility = models.CharField(
        _("who may see it"),
        max_length=20,
        choices=Visibility.choices,
        default=Visibility.STAFF_ONLY,
    )

    class Meta:
        verbose_name = _("the child's statement")
        verbose_name_plural = _("the child's statements")
        ordering = ["created_at"]

    def __str__(self):
        return self.text[:60]


class Wish(KeptRecord):
    """One of the child's wishes, in the child's words; later answered by the plan or a decision."""

    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="wishes", verbose_name=_("child")
    )
    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.PROTECT,
        related_name="wishes",
        verbose_name=_("conversation"),
    )
    text = models.TextField(_("the child's wish"))

    class Meta:
        verbose_name = _("the child's wish")
        verbose_name_plural = _("the child's wishes")
        ordering = ["created_at"]

    def __str__(self):
        return self.text[:60]
