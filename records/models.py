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


class Withheld(models.Model):
    """A record (or its content) withheld from the person's own file because it is another
    person's confidential information (forvaltningsloven §§ 15-15 b; Barnets lov § 3 on the child's
    access to the file). The file shows that something was withheld, and why. Lifted by
    setting `lifted_at`, never by deleting."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    model = models.CharField(max_length=60)
    record_pk = models.BigIntegerField()
    reason = models.CharField(_("why it is withheld"), max_length=300)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["child", "model", "record_pk"], name="withheld_record")]

    def __str__(self):
        return f"{self.model} {self.record_pk}"


class FileStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RENDERING = "rendering", _("Being made")
    REVIEW = "review", _("Ready for review by staff")
    RELEASED = "released", _("Released to the person")
    FAILED = "failed", _("Failed")


class PersonFile(models.Model):
    """The person's own file: everything Stemme holds about them, as a PDF with a table of
    contents and a zip with the PDF, the originals and a machine-readable copy. Staff review it
    before it is released."""

    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="person_files", verbose_name=_("person")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    by_the_person = models.BooleanField(_("asked for by the person"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=FileStatus.choices, default=FileStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    pdf = models.FileField(upload_to="records/files/", blank=True)
    package = models.FileField(upload_to="records/files/", blank=True)
    pages = models.PositiveIntegerField(default=0)
    withheld = models.PositiveIntegerField(_("items withheld"), default=0)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    released_at = models.DateTimeField(_("released"), null=True, blank=True)

    class Meta:
        verbose_name = _("person's file")
        verbose_name_plural = _("persons' files")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self._meta.verbose_name} {self.child_id} {self.created_at:%Y-%m-%d}"
