"""Records that last: a child's case moved whole between municipalities (a transfer bundle
out, a transfer in), with every imported record's origin and earlier history kept."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import Child


class Direction(models.TextChoices):
    OUT = "out", _("Sent")
    IN = "in", _("Received")


class Transfer(models.Model):
    """One bundle sent or received. A bundle is imported once: its id is unique per side."""

    bundle_id = models.UUIDField(_("bundle"))
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="transfers", verbose_name=_("child")
    )
    other_municipality_code = models.CharField(_("the other municipality"), max_length=3)
    other_municipality_name = models.CharField(max_length=100, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("when"), auto_now_add=True)
    records = models.PositiveIntegerField(_("records"), default=0)
    files = models.PositiveIntegerField(_("files"), default=0)
    sha256 = models.CharField(_("checksum of the bundle"), max_length=64, blank=True)
    # What the sending municipality knew that does not move as live records: who held the case,
    # handovers, who looked at it (dates, purposes, roles) — kept as it was sent.
    earlier = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        constraints = [
            models.UniqueConstraint(
                fields=["bundle_id", "direction"], name="transfer_bundle_once_per_side"
            )
        ]

    def __str__(self):
        return f"{self.get_direction_display()} {self.bundle_id}"


class TransferredRecord(models.Model):
    """Where an imported record came from, with its history in the sending municipality."""

    transfer = models.ForeignKey(Transfer, on_delete=models.PROTECT, related_name="imported")
    model = models.CharField(max_length=60)
    origin_pk = models.BigIntegerField()
    new_pk = models.BigIntegerField()
    history = models.JSONField(default=list, blank=True)

    class Meta:
        indexes = [models.Index(fields=["model", "new_pk"], name="transferred_record_new")]

    def __str__(self):
        return f"{self.model} {self.origin_pk} → {self.new_pk}"
