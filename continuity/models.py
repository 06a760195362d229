"""One fixed caseworker per child (fast myndighedsperson), and handovers with overlap.

The database itself refuses a second open responsible assignment for a child.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.models import Child
from core.models import KeptRecord


class AssignmentKind(models.TextChoices):
    RESPONSIBLE = "responsible", _("Responsible caseworker")
    OVERLAP = "overlap", _("Incoming caseworker (handover overlap)")


class CaseworkerAssignment(KeptRecord):
    """A caseworker attached to a child for a period; kept forever as the child's history."""

    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("child")
    )
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("caseworker"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=AssignmentKind.choices)
    started_at = models.DateTimeField(_("from"))
    ended_at = models.DateTimeField(_("to"), null=True, blank=True)
    handover = models.ForeignKey(
        "continuity.Handover",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("handover"),
    )

    class Meta:
        verbose_name = _("caseworker assignment")
        verbose_name_plural = _("caseworker assignments")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(ended_at__isnull=True, kind="responsible", removed_at__isnull=True),
                name="one_responsible_caseworker_per_child",
            ),
            models.UniqueConstraint(
                fields=["child", "caseworker"],
                condition=Q(ended_at__isnull=True, removed_at__isnull=True),
                name="one_open_assignment_per_caseworker_and_child",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="assignment_ends_after_it_starts",
            ),
        ]
        indexes = [
            models.Index(fields=["caseworker", "ended_at"], name="assignment_caseworker_open"),
            models.Index(fields=["child", "ended_at"], name="assignment_child_open"),
        ]

    def __str__(self):
        return f"{self.caseworker} → {self.child}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


class HandoverStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("Under way")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Handover(KeptRecord):
    """A change of fixed caseworker: overlap, a handover note, a joint meeting, the child told."""

    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="handovers", verbose_name=_("child")
    )
    from_caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="handovers_out",
        verbose_name=_("from caseworker"),
    )
    to_caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="handovers_in",
        verbose_name=_("to caseworker"),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=HandoverStatus.choices,
        default=HandoverStatus.IN_PROGRESS,
    )
    started_at = models.DateTimeField(_("started"))
    overlap_until = models.DateField(
        _("overlap until"), help_text=_("Both caseworkers are attached to the child until then.")
    )
    note = models.TextField(
        _("handover note"),
        blank=True,
        help_text=_("What the new caseworker must know: the child, the network, what is promised."),
    )
    joint_meeting_at = models.DateTimeField(
        _("joint meeting with the child"), null=True, blank=True
    )
    joint_meeting_place = models.CharField(_("where"), max_length=200, blank=True)
    child_informed_on = models.DateField(_("child told on"), null=True, blank=True)
    child_informed_how = models.CharField(_("how the child was told"), max_length=300, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("started by"),
    )

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(status="in_progress", removed_at__isnull=True),
                name="one_handover_under_way_per_child",
            )
        ]
        indexes = [models.Index(fields=["status", "to_caseworker"], name="handover_status_to")]

    def __str__(self):
        return f"{self.from_caseworker} → {self.to_caseworker}"

    @property
    def is_under_way(self) -> bool:
        return self.status == HandoverStatus.IN_PROGRESS

    def missing_steps(self) -> list[str]:
        """What still has to be done before the handover can be completed."""
        missing = []
        if not self.note.strip():
            missing.append(gettext("write the handover note"))
        if not self.joint_meeting_at:
            missing.append(gettext("schedule the joint meeting with the child"))
        if not self.child_informed_on:
            missing.append(gettext("record that the child has been told"))
        return missing
