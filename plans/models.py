"""The child's view in decisions, "you said – we did", and complaints.

Barnets lov § 5 (the child's view before every decision), § 3 (from 10 the child is a party),
§ 141 (the right to see one's file), and the child's right to complain.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import Child, Decision, Measure
from conversations.models import Wish
from core.models import KeptRecord


class AnswerOutcome(models.TextChoices):
    DONE = "done", _("We did it")
    PARTLY = "partly", _("We did some of it")
    NOT_DONE = "not_done", _("We could not do it")


class WishAnswer(KeptRecord):
    """You said – we did: the answer to one of the child's wishes, linked to what answers it."""

    wish = models.ForeignKey(
        Wish, on_delete=models.PROTECT, related_name="answers", verbose_name=_("the child's wish")
    )
    decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wish_answers",
        verbose_name=_("decision"),
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

    def __str__(self):
        return self.answer_to_child[:60]


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
