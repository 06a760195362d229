"""Barnets livsbog: the child's digital life book, contributed to by everyone around the child.

Entries follow the child across homes and municipalities and stay the person's after 18.
Photos are re-encoded from pixels only: no location or other metadata is ever stored.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import Child
from core.models import KeptRecord
from core.uploads import MediaKind


class Milestone(models.TextChoices):
    NONE = "", _("No milestone")
    FIRST_SCHOOL_DAY = "first_school_day", _("First school day")
    BIRTHDAY = "birthday", _("Birthday")
    MOVE = "move", _("Moving")
    HOLIDAY = "holiday", _("Holiday")
    ACHIEVEMENT = "achievement", _("Something I did well")


class Entry(KeptRecord):
    """An event or a story in the child's life, with its photos."""

    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="lifebook_entries", verbose_name=_("child")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="lifebook_entries",
        verbose_name=_("written by"),
    )
    author_role = models.CharField(_("as"), max_length=20, blank=True)
    happened_on = models.DateField(_("when"))
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("what happened"), blank=True)
    people = models.CharField(_("who was there"), max_length=300, blank=True)
    place = models.CharField(_("where"), max_length=200, blank=True)
    milestone = models.CharField(
        _("milestone"), max_length=20, choices=Milestone.choices, blank=True
    )
    # Entries from external contributors wait for the caseworker before the child sees them.
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    # Sensitive entries can be sealed until the child is this old.
    sealed_until_age = models.PositiveSmallIntegerField(
        _("sealed until the child is"),
        null=True,
        blank=True,
        help_text=_(
            "For a sensitive document or story: only staff see it until the child reaches this age."
        ),
    )
    # The child's own controls (the book is the child's): favourites, and entries hidden from
    # everyone but the child and the staff who keep the record.
    favourite = models.BooleanField(_("one of the child's favourites"), default=False)
    hidden_by_child = models.BooleanField(_("hidden by the child"), default=False)

    class Meta:
        verbose_name = _("life book entry")
        verbose_name_plural = _("life book entries")
        ordering = ["-happened_on", "-pk"]
        indexes = [models.Index(fields=["child", "happened_on"], name="lifebook_child_when")]

    def __str__(self):
        return self.title

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None

    def is_sealed_for(self, child) -> bool:
        return self.sealed_until_age is not None and self.sealed_until_age > child.age()


class Photo(KeptRecord):
    """A photo in an entry: a clean re-encoded copy and a thumbnail for the timeline."""

    entry = models.ForeignKey(
        Entry, on_delete=models.PROTECT, related_name="photos", verbose_name=_("entry")
    )
    image = models.FileField(_("photo"), upload_to="lifebook/%Y/%m/")
    thumbnail = models.FileField(_("thumbnail"), upload_to="lifebook/thumbs/%Y/%m/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["pk"]

    def __str__(self):
        return self.caption or self.image.name


class Attachment(KeptRecord):
    """A short video, a sound recording or a document in an entry, its type read from the
    content and stored without metadata (see core.uploads)."""

    entry = models.ForeignKey(
        Entry, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("entry")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=MediaKind.choices)
    file = models.FileField(_("file"), upload_to="lifebook/media/%Y/%m/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(default=0)
    name = models.CharField(_("name"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self):
        return self.name or self.file.name


class Comment(KeptRecord):
    """A comment on an entry: the child's, a carer's or the caseworker's."""

    entry = models.ForeignKey(
        Entry, on_delete=models.PROTECT, related_name="comments", verbose_name=_("entry")
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"), max_length=2000)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:40]


class Reminder(models.Model):
    """A reminder e-mail sent to a contributor who is behind (kept, so nobody is nagged daily)."""

    link = models.ForeignKey(
        "cases.ContributorLink",
        on_delete=models.PROTECT,
        related_name="lifebook_reminders",
        verbose_name=_("contributor link"),
    )
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        indexes = [models.Index(fields=["link", "sent_at"], name="reminder_link_sent")]

    def __str__(self):
        return f"{self.link_id} {self.sent_at:%Y-%m-%d}"


class BookStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RENDERING = "rendering", _("Being made")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class BookExport(models.Model):
    """The life book (or a period of it) as a PDF to print, made in the background."""

    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="book_exports", verbose_name=_("child")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    date_from = models.DateField(_("from"), null=True, blank=True)
    date_to = models.DateField(_("to"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=BookStatus.choices, default=BookStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    pdf = models.FileField(_("PDF"), upload_to="lifebook/books/", blank=True)
    pages = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("life book as PDF")
        verbose_name_plural = _("life books as PDF")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.child_id} {self.created_at:%Y-%m-%d}"
