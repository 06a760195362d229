"""The child, the case's course and the child's network.

Stemme runs beside the municipality's case system: it keeps only what involving the child needs.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Municipality
from cases.cpr import parse_cpr, validate_cpr
from core.dates import add_months, age_on
from core.models import ActiveManager, KeptQuerySet, KeptRecord


class Child(KeptRecord):
    """A child or young person with a case in one municipality."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("municipality"),
    )
    cpr = models.CharField(_("CPR number"), max_length=10, validators=[validate_cpr])
    cpr_is_fictitious = models.BooleanField(
        _("fictitious CPR number"),
        default=False,
        help_text=_("Demo and generated CPR numbers are marked as fictitious."),
    )
    birth_date = models.DateField(_("birth date"), editable=False)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    preferred_name = models.CharField(
        _("preferred name"),
        max_length=100,
        blank=True,
        help_text=_("What the child wants to be called."),
    )
    languages = models.CharField(
        _("languages"), max_length=200, blank=True, help_text=_("For example: Danish, Arabic.")
    )
    external_id = models.CharField(
        _("ID in the case system"), max_length=100, blank=True, db_index=True
    )

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")
        ordering = ["first_name", "last_name"]
        constraints = [
            # One child per CPR number per municipality: the number is stored only as
            # `parse_cpr` normalises it, ten ASCII digits, so one number has one spelling.
            models.UniqueConstraint(fields=["municipality", "cpr"], name="child_cpr_unique"),
            models.CheckConstraint(
                condition=models.Q(cpr__regex=r"^[0-9]{10}$") & ~models.Q(cpr__contains="\n"),
                name="child_cpr_ten_ascii_digits",
            ),
            models.UniqueConstraint(
                fields=["municipality", "external_id"],
                condition=~models.Q(external_id=""),
                name="child_external_id_unique",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "birth_date"])]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name the child wants to be called by, then the surname."""
        return f"{self.preferred_name or self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def cpr_masked(self) -> str:
        """The CPR number as lists show it: birth date only."""
        return parse_cpr(self.cpr).masked

    @property
    def cpr_formatted(self) -> str:
        return parse_cpr(self.cpr).formatted

    def age(self, on: date | None = None) -> int:
        """The child's age in whole years today (or on a given day)."""
        return age_on(self.birth_date, on or timezone.localdate())


class Case(KeptRecord):
    """The municipality's case about a child, from opening to closing."""

    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="cases", verbose_name=_("child")
    )
    opened_on = models.DateField(_("opened"))
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    closing_note = models.TextField(_("why the case was closed"), blank=True)
    external_id = models.CharField(
        _("ID in the case system"), max_length=100, blank=True, db_index=True
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_on"]

    def __str__(self):
        return f"{self.child} ({self.opened_on:%d.%m.%Y})"

    @property
    def is_open(self) -> bool:
        """True until the case is closed."""
        return self.closed_on is None


class ConcernReport(KeptRecord):
    """A report of concern (underretning) received about the child."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="concern_reports", verbose_name=_("case")
    )
    received_on = models.DateField(_("received"))
    source = models.CharField(_("from whom"), max_length=200, blank=True)
    # Barnets lov § 137: a report about abuse makes a conversation with the child mandatory.
    concerns_abuse = models.BooleanField(_("concerns violence or abuse"), default=False)
    summary = models.TextField(_("summary"), blank=True)
    external_id = models.CharField(
        _("ID in the case system"), max_length=100, blank=True, db_index=True
    )

    class Meta:
        verbose_name = _("report of concern")
        verbose_name_plural = _("reports of concern")
        ordering = ["-received_on"]

    def __str__(self):
        return f"{self._meta.verbose_name} {self.received_on:%d.%m.%Y}"


class Assessment(KeptRecord):
    """The child-professional assessment (børnefaglig undersøgelse)."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("case")
    )
    need_known_on = models.DateField(
        _("need became known"), help_text=_("The day the municipality learned of the need.")
    )
    completed_on = models.DateField(_("completed"), null=True, blank=True)
    # Stored so that lists can filter and sort on it; set from need_known_on by the service.
    deadline = models.DateField(_("deadline"), editable=False, db_index=True)
    external_id = models.CharField(
        _("ID in the case system"), max_length=100, blank=True, db_index=True
    )

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-need_known_on"]

    def __str__(self):
        return f"{self._meta.verbose_name} {self.need_known_on:%d.%m.%Y}"

    @staticmethod
    def deadline_for(need_known_on: date) -> date:
        """Barnets lov § 20: completed within 4 months of the municipality learning of the need."""
        return add_months(need_known_on, settings.STEMME_ASSESSMENT_DEADLINE_MONTHS)

    def is_overdue(self, today: date | None = None) -> bool:
        """Not completed and past its deadline."""
        return self.completed_on is None and (today or timezone.localdate()) > self.deadline


class MeasureKind(models.TextChoices):
    FAMILY_SUPPORT = "family_support", _("Family support at home")
    CONTACT_PERSON = "contact_person", _("Contact person")
    PREVENTIVE = "preventive", _("Other preventive measure")
    FOSTER_CARE = "foster_care", _("Placement in foster care")
    KINSHIP_CARE = "kinship_care", _("Placement in kinship care")
    INSTITUTION = "institution", _("Placement in a residential institution")
    OWN_ROOM = "own_room", _("Placement in own room")


PLACEMENT_KINDS = {
    MeasureKind.FOSTER_CARE,
    MeasureKind.KINSHIP_CARE,
    MeasureKind.INSTITUTION,
    MeasureKind.OWN_ROOM,
}


class EndKind(models.TextChoices):
    PLANNED = "planned", _("Planned")
    UNPLANNED = "unplanned", _("Unplanned (breakdown)")


class Measure(KeptRecord):
    """A support measure, including placement out of home (where, from, to, how it ended)."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="measures", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MeasureKind.choices)
    place = models.CharField(
        _("where"), max_length=200, blank=True, help_text=_("Foster home, institution or provider.")
    )
    started_on = models.DateField(_("from"))
    planned_end_on = models.DateField(_("planned end"), null=True, blank=True)
    ended_on = models.DateField(_("to"), null=True, blank=True)
    end_kind = models.CharField(
        _("how it ended"), max_length=10, choices=EndKind.choices, blank=True
    )
    external_id = models.CharField(
        _("ID in the case system"), max_length=100, blank=True, db_index=True
    )
    # Stored so that the insights can count in SQL by the same calendar months as the rules.
    first_follow_up_due = models.DateField(
        _("first follow-up due"), null=True, editable=False, db_index=True
    )

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["-started_on"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.started_on:%d.%m.%Y}"

    def save(self, *args, **kwargs):
        self.first_follow_up_due = self.first_follow_up_due_for(self.started_on)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "first_follow_up_due"}
        super().save(*args, **kwargs)

    @staticmethod
    def first_follow_up_due_for(started_on: date) -> date:
        """Barnets lov §§ 95-96: the first follow-up at the latest 3 months after support
        starts."""
        return add_months(started_on, settings.STEMME_FIRST_FOLLOW_UP_MONTHS)

    @property
    def is_placement(self) -> bool:
        """True for placements out of home."""
        return self.kind in PLACEMENT_KINDS

    @property
    def is_current(self) -> bool:
        return self.ended_on is None or self.ended_on >= timezone.localdate()


class Decision(KeptRecord):
    """A formal decision (afgørelse) about the child."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("case")
    )
    decided_on = models.DateField(_("decided"))
    subject = models.CharField(_("what was decided"), max_length=300)
    measure = models.ForeignKey(
        Measure,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("measure"),
    )
    # Barnets lov § 91, stk. 2 (with § 47): for a placement without consent the plan comes before
    # the decision.
    without_consent = models.BooleanField(_("placement without consent"), default=False)
    external_id = models.CharField(
        _("ID in the case system"), max_length=100, blank=True, db_index=True
    )
    # Empty while the decision is a draft; set only through plans.services.decision_make_final,
    # which guards Barnets lov § 5 (the child's view before every decision).
    finalised_at = models.DateTimeField(_("made final"), null=True, blank=True)
    childs_view = models.TextField(_("the child's view"), blank=True)
    how_weighed = models.TextField(_("how the child's view was weighed"), blank=True)
    differs_from_wish = models.BooleanField(
        _("the decision differs from what the child wished"), default=False
    )
    why_differs = models.TextField(_("why it differs from the child's wish"), blank=True)
    explanation_for_child = models.TextField(_("explanation for the child"), blank=True)
    explanation_lix = models.PositiveSmallIntegerField(
        _("readability (LIX)"), null=True, blank=True
    )
    # The child's notice (plans.DecisionNotice without a custody holder), kept in step by
    # plans.services.decision_notice_record only, so that the insights count in SQL.
    child_told_on = models.DateField(_("the child was told on"), null=True, blank=True)
    child_told_how = models.CharField(_("how the child was told"), max_length=300, blank=True)
    # A final decision is never changed: a correction is a new decision that replaces it
    # (plans.services.decision_correct); both are kept, linked, with the reason.
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces the decision"),
    )
    correction_reason = models.TextField(_("why the decision was corrected"), blank=True)
    # Stored so that the insights can count in SQL by the same calendar months as the rules.
    plan_due = models.DateField(_("plan due"), null=True, editable=False, db_index=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-decided_on"]

    def __str__(self):
        return f"{self.subject} {self.decided_on:%d.%m.%Y}"

    def save(self, *args, **kwargs):
        self.plan_due = (
            self.plan_due_for(self.decided_on, self.without_consent) if self.measure_id else None
        )
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "plan_due"}
        super().save(*args, **kwargs)

    @staticmethod
    def plan_due_for(decided_on: date, without_consent: bool) -> date:
        """The day the child's plan must be adopted by: Barnets lov § 91, within 3 months of the
        decision on a measure; § 91, stk. 2 (with § 47), before the decision for a placement
        without consent."""
        if without_consent:
            return decided_on
        return add_months(decided_on, settings.STEMME_PLAN_DEADLINE_MONTHS)

    @property
    def is_final(self) -> bool:
        """Made final (a draft until then)."""
        return self.finalised_at is not None

    def child_age_at_decision(self) -> int:
        """The child's age on the day of the decision."""
        return self.case.child.age(on=self.decided_on)

    def child_is_party(self) -> bool:
        """Barnets lov § 3: from 10 the child is a party, may complain and see the file."""
        return self.child_age_at_decision() >= settings.STEMME_PARTY_AGE

    def complaint_deadline(self) -> date | None:
        """The last day the child can complain: 4 weeks from the day the child was told
        (retssikkerhedsloven § 67, stk. 1); None until the child is told."""
        return complaint_deadline_from(self.child_told_on)

    def complaint_open(self, today: date | None = None) -> bool:
        """The child (a party, § 3) may still complain: not told yet, or the deadline not
        passed (its last day is still in time)."""
        deadline = self.complaint_deadline()
        return self.child_is_party() and (
            deadline is None or deadline >= (today or timezone.localdate())
        )

    @property
    def replacement(self) -> "Decision | None":
        """The decision that corrects this one, if any."""
        try:
            return self.replaced_by
        except Decision.DoesNotExist:
            return None


def complaint_deadline_from(told_on: date | None) -> date | None:
    """Retssikkerhedsloven § 67, stk. 1: a complaint is made within 4 weeks (a setting: laws
    change) of the day the complainant was told of the decision; the last day is in time."""
    if told_on is None:
        return None
    return told_on + timedelta(weeks=settings.STEMME_COMPLAINT_WEEKS)


class FollowUp(KeptRecord):
    """A follow-up of the case or a measure (Barnets lov §§ 95-96)."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="follow_ups", verbose_name=_("case")
    )
    due_on = models.DateField(_("due"), db_index=True)
    held_on = models.DateField(_("held"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    external_id = models.CharField(
        _("ID in the case system"), max_length=100, blank=True, db_index=True
    )

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_on"]

    def __str__(self):
        return f"{self._meta.verbose_name} {self.due_on:%d.%m.%Y}"

    def is_overdue(self, today: date | None = None) -> bool:
        """Not held and past its due date."""
        return self.held_on is None and (today or timezone.localdate()) > self.due_on


class Relation(models.TextChoices):
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Sibling")
    GRANDPARENT = "grandparent", _("Grandparent")
    FOSTER_CARER = "foster_carer", _("Foster carer")
    CONTACT_PERSON = "contact_person", _("Contact person at the institution")
    SUPPORT_PERSON = "support_person", _("Support person (bisidder)")
    SCHOOL = "school", _("School or daycare")
    OTHER = "other", _("Other")


class NetworkMember(KeptRecord):
    """A person around the child: family, carers, school, a support person."""

    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="network", verbose_name=_("child")
    )
    name = models.CharField(_("name"), max_length=200)
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    relation_detail = models.CharField(
        _("relation in words"), max_length=100, blank=True, help_text=_("For example: mother.")
    )
    holds_custody = models.BooleanField(_("holds custody"), default=False)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    birth_date = models.DateField(
        _("birth date"), null=True, blank=True, help_text=_("Needed for a support person (15+).")
    )
    external_id = models.CharField(
        _("ID in the case system"), max_length=100, blank=True, db_index=True
    )

    class Meta:
        verbose_name = _("network member")
        verbose_name_plural = _("network members")
        ordering = ["relation", "name"]

    def __str__(self):
        return self.name


class ContributorRole(models.TextChoices):
    FOSTER_CARER = "foster_carer", _("Foster carer")
    INSTITUTION_STAFF = "institution_staff", _("Institution contact person")
    PARENT = "parent", _("Parent")
    TEACHER = "teacher", _("Teacher")
    OTHER = "other", _("Other")


class ContributorLinkQuerySet(KeptQuerySet):
    def current(self):
        """Links open today. `ended_on` is the first day without access: ending a link today
        closes it at once, and a placement ending next month keeps its carers until then."""
        return self.filter(
            models.Q(ended_on__isnull=True) | models.Q(ended_on__gt=timezone.localdate())
        )


class ContributorLinkManager(ActiveManager.from_queryset(ContributorLinkQuerySet)):
    pass


class ContributorLink(KeptRecord):
    """An external contributor's link to one child: it opens that child's life book only."""

    objects = ContributorLinkManager()

    @property
    def is_current(self) -> bool:
        return self.ended_on is None or self.ended_on > timezone.localdate()

    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="contributor_links", verbose_name=_("child")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="contributor_links",
        verbose_name=_("contributor"),
    )
    role = models.CharField(_("role"), max_length=20, choices=ContributorRole.choices)
    # The placement the link belongs to: when the placement ends, the link ends with it.
    placement = models.ForeignKey(
        "Measure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contributor_links",
        verbose_name=_("placement"),
    )
    started_on = models.DateField(_("from"), default=timezone.localdate)
    ended_on = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        verbose_name = _("contributor link")
        verbose_name_plural = _("contributor links")
        indexes = [models.Index(fields=["user", "ended_on"])]
