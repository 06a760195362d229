"""Reflection on practice (Bedre Børneinddragelse's third core effort): a caseworker's own
reflection after a conversation, set beside the child's feedback on it; practice videos that a
consultant comments on at moments in the video; and the caseworker's training. Reflections and
videos are the caseworker's own: who else sees them is decided in `reflection/access.py` only."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from conversations.models import Conversation
from core.models import KeptRecord


class Reflection(KeptRecord):
    """The caseworker's own reflection on one conversation, private unless shared."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.PROTECT, related_name="reflections"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reflections"
    )
    went_well = models.TextField(_("What went well?"), blank=True)
    childs_perspective = models.TextField(
        _("Where did the child's perspective come through?"), blank=True
    )
    differently = models.TextField(_("What would I do differently?"), blank=True)
    next_time = models.TextField(_("What do I take to the next meeting?"), blank=True)
    shared_with_leader = models.BooleanField(_("share with my team leader"), default=False)
    shared_with = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reflections_shared",
        verbose_name=_("share with a consultant"),
    )

    class Meta:
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "author"], name="one_reflection_per_conversation"
            )
        ]

    def __str__(self):
        return f"{self.author} {self.created_at:%d.%m.%Y}"


class VideoKind(models.TextChoices):
    ROLE_PLAY = "role_play", _("Role-play with a colleague")
    REAL = "real", _("A real conversation with a child (with consent)")


class PracticeVideo(KeptRecord):
    """A recorded practice conversation, private to the caseworker and the consultant it is
    shared with. A real conversation needs the recorded consent of the child and of the custody
    holders; when consent is withdrawn the video is removed from view (kept, never silently
    deleted)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="practice_videos"
    )
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="videos_to_review",
        verbose_name=_("consultant"),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("what it shows"), max_length=10, choices=VideoKind.choices)
    child_consent_on = models.DateField(_("the child consented on"), null=True, blank=True)
    custody_consent_on = models.DateField(
        _("the custody holders consented on"), null=True, blank=True
    )
    consent_note = models.CharField(_("how consent was given"), max_length=300, blank=True)
    file = models.FileField(upload_to="practice/%Y/%m/")
    content_type = models.CharField(max_length=50)
    size = models.PositiveBigIntegerField()

    class Meta:
        verbose_name = _("practice video")
        verbose_name_plural = _("practice videos")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title


class VideoComment(KeptRecord):
    """A comment pinned to a moment of the video, or a reply to one."""

    video = models.ForeignKey(PracticeVideo, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at_seconds = models.PositiveIntegerField(_("moment (seconds into the video)"))
    text = models.TextField(_("comment"))
    reply_to = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replies"
    )

    class Meta:
        verbose_name = _("comment on a video")
        verbose_name_plural = _("comments on videos")
        ordering = ["at_seconds", "created_at"]

    def __str__(self):
        return f"{self.video_id} @{self.at_seconds}s"

    @property
    def moment(self) -> str:
        """The moment as m:ss."""
        return f"{self.at_seconds // 60}:{self.at_seconds % 60:02d}"


class TrainingTheme(models.TextChoices):
    CHILDS_PERSPECTIVE = "childs_perspective", _("The child's perspective")
    DIALOGIC = "dialogic", _("Dialogic conversation")
    AUTHORITY = "authority", _("Authority and mandate in conversations with children")
    OTHER = "other", _("Other")


class TrainingDay(KeptRecord):
    """A training day a caseworker attended."""

    attendee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_days"
    )
    held_on = models.DateField(_("date"))
    theme = models.CharField(_("theme"), max_length=20, choices=TrainingTheme.choices)
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        verbose_name = _("training day")
        verbose_name_plural = _("training days")
        ordering = ["-held_on"]

    def __str__(self):
        return self.title


class TeamSession(KeptRecord):
    """Joint professional reflection (fælles faglig refleksion): the team reflects on one case,
    told without names, in four steps — the caseworker presents, the team asks clarifying
    questions, the team reflects while the caseworker listens, the caseworker names next
    steps — and later the next steps are followed up."""

    team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, related_name="reflection_sessions"
    )
    scheduled_at = models.DateTimeField(_("when"))
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="sessions_presented",
        verbose_name=_("the caseworker who brings the case"),
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    presentation = models.TextField(
        _("1. The case, told without names"),
        help_text=_(
            "No names, CPR numbers, addresses or schools: the team hears the case, not who."
        ),
    )
    questions = models.TextField(_("2. The team's clarifying questions"), blank=True)
    reflections = models.TextField(
        _("3. The team's reflections (the caseworker listens)"), blank=True
    )
    next_steps = models.TextField(_("4. The caseworker's next steps"), blank=True)
    decided = models.TextField(_("What was decided"), blank=True)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("who took part")
    )
    follow_up_on = models.DateField(_("follow up the next steps on"), null=True, blank=True)
    followed_up_at = models.DateTimeField(_("followed up"), null=True, blank=True)
    follow_up_note = models.TextField(_("how the next steps went"), blank=True)

    class Meta:
        verbose_name = _("joint reflection")
        verbose_name_plural = _("joint reflections")
        ordering = ["-scheduled_at"]

    def __str__(self):
        return f"{self.team} {self.scheduled_at:%d.%m.%Y}"

    def follow_up_is_due(self, today=None) -> bool:
        """Next steps were named, their follow-up day has come, and it is not done."""
        from django.utils import timezone

        return bool(
            self.next_steps
            and self.follow_up_on
            and self.followed_up_at is None
            and self.follow_up_on <= (today or timezone.localdate())
        )
