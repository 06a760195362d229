"""The child's view in decisions, "you said – we did", and complaints.

Barnets lov § 5 (the child's view before every decision), § 3 (from 10 the child is a party),
forvaltningsloven § 9 (the right to see one's file), and the child's right to complain
(Barnets lov §§ 144-150).
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import Child, Decision, Measure, NetworkMember, complaint_deadline_from
from conversations.models import Statement, Wish
from core.models import KeptRecord


class AnswerOutcome(models.TextChoices):
    DONE = "done", _("We did it")
    PARTLY = "partly", _("We did some of it")
    NOT_DONE = "not_done", _("We could not do it")


class WishAnswer(KeptRecord):
    """You said – we did: the answer to one of the child's wishes, linked to what answers it."""

    # What the child said: one of their wishes, or a statement in their own words.
    wish = models.ForeignKey(
        Wish,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="answers",
        verbose_name=_("the child's wish"),
    )
    statement = models.ForeignKey(
        Statement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="answers",
        verbose_name=_("the child's statement"),
    )
    decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wish_answers",
        verbose_name=_("decision"),
    )
    goal = models.ForeignKey(
        "plans.PlanGoal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wish_answers",
        verbose_name=_("plan goal"),
    )
    measure = models.ForeignKey(
        Measure,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wish_answers",
        verbose_name=_("measure"),
    )
    outcome = models.CharField(_("what we did"), max_length=10, choices=AnswerOutcome.choices)
    answer_to_child = models.TextField(
        _("the answer to the child"),
        help_text=_("Written to the child. If you could not do it, say why."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("answer to a wish")
        verbose_name_plural = _("answers to wishes")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(wish__isnull=False, statement__isnull=True)
                | models.Q(wish__isnull=True, statement__isnull=False),
                name="answers_a_wish_or_a_statement",
            )
        ]

    def __str__(self):
        return self.answer_to_child[:60]

    @property
    def what_the_child_said(self) -> str:
        return (self.wish or self.statement).text


class PlanKind(models.TextChoices):
    CHILD = "child", _("The child's plan")
    YOUTH = "youth", _("Youth plan")


class ChildPlan(KeptRecord):
    """Barnets plan (§§ 91-92), or the ungeplan from 16 (§ 108): the child's own goals in the
    child's words next to the professional goals, with a version written for the child."""

    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="plans", verbose_name=_("child")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=PlanKind.choices)
    decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("the decision it follows"),
    )
    adopted_on = models.DateField(_("adopted"), null=True, blank=True)
    next_review_on = models.DateField(_("next review"))
    family_support = models.TextField(
        _("support for the family during and after a placement"), blank=True
    )
    version_for_child = models.TextField(_("the plan in the child's words"), blank=True)
    version_for_child_lix = models.PositiveSmallIntegerField(
        _("readability (LIX)"), null=True, blank=True
    )
    child_agrees = models.BooleanField(_("the child agrees"), null=True, blank=True)
    child_disagrees_because = models.TextField(_("the child does not agree because"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.created_at:%d.%m.%Y}"

    @property
    def is_adopted(self) -> bool:
        return self.adopted_on is not None


class PlanGoal(KeptRecord):
    """One goal: the child's own words next to the professional goal, with a date."""

    plan = models.ForeignKey(
        ChildPlan, on_delete=models.PROTECT, related_name="goals", verbose_name=_("plan")
    )
    childs_words = models.TextField(_("the goal in the child's own words"))
    professional_goal = models.TextField(_("the professional goal"))
    target_date = models.DateField(_("by when"))

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["target_date", "pk"]

    def __str__(self):
        return self.childs_words[:60]


class MeasureView(KeptRecord):
    """The child's view of one measure in the plan."""

    plan = models.ForeignKey(
        ChildPlan, on_delete=models.PROTECT, related_name="measure_views", verbose_name=_("plan")
    )
    measure = models.ForeignKey(
        Measure, on_delete=models.PROTECT, related_name="child_views", verbose_name=_("measure")
    )
    childs_view = models.TextField(_("the child's view of the measure"))

    class Meta:
        verbose_name = _("the child's view of a measure")
        verbose_name_plural = _("the child's views of measures")

    def __str__(self):
        return self.childs_view[:60]


class ComplaintFrom(models.TextChoices):
    CHILD = "child", _("The child")
    ON_BEHALF = "on_behalf", _("Someone on the child's behalf")
    PARENT = "parent", _("A parent")


class ComplaintOutcome(models.TextChoices):
    PENDING = "pending", _("Being handled")
    UPHELD = "upheld", _("The child was right")
    PARTLY = "partly", _("The child was partly right")
    REJECTED = "rejected", _("The decision stands")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Complaint(KeptRecord):
    """A complaint from the child or on the child's behalf, its handling and outcome."""

    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("child")
    )
    decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("decision complained about"),
    )
    received_on = models.DateField(_("received"))
    complainant = models.CharField(_("from"), max_length=10, choices=ComplaintFrom.choices)
    summary = models.TextField(_("what the complaint is about"))
    handling = models.TextField(_("how it is handled"), blank=True)
    outcome = models.CharField(
        _("outcome"),
        max_length=10,
        choices=ComplaintOutcome.choices,
        default=ComplaintOutcome.PENDING,
    )
    closed_on = models.DateField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_on"]
        indexes = [models.Index(fields=["child", "received_on"], name="complaint_child_received")]

    def __str__(self):
        return f"{self.get_complainant_display()} {self.received_on:%d.%m.%Y}"


class DecisionNotice(KeptRecord):
    """When one party was told of a decision, and how: the child (a party from 10,
    Barnets lov § 3) or a custody holder. The complaint deadline runs from this day
    (retssikkerhedsloven § 67, stk. 1), so each party has their own. Kept apart from the
    decision so that telling can be recorded after it is final; a correction of the date keeps
    the history."""

    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, related_name="notices", verbose_name=_("decision")
    )
    # Empty: the child was told.
    custody_holder = models.ForeignKey(
        NetworkMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decision_notices",
        verbose_name=_("custody holder"),
    )
    told_on = models.DateField(_("told on"))
    told_how = models.CharField(_("how they were told"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("notice of a decision")
        verbose_name_plural = _("notices of decisions")
        ordering = ["told_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "custody_holder"],
                condition=models.Q(removed_at__isnull=True),
                name="one_notice_per_custody_holder",
            ),
            models.UniqueConstraint(
                fields=["decision"],
                condition=models.Q(custody_holder__isnull=True, removed_at__isnull=True),
                name="one_notice_to_the_child",
            ),
        ]

    def __str__(self):
        return f"{self.party_name} {self.told_on:%d.%m.%Y}"

    @property
    def party_name(self) -> str:
        return self.custody_holder.name if self.custody_holder_id else str(_("The child"))

    def complaint_deadline(self) -> date:
        """This party's last day to complain (retssikkerhedsloven § 67, stk. 1)."""
        return complaint_deadline_from(self.told_on)
