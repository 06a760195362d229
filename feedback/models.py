"""The child's feedback after meetings (børnefeedbackredskab), in the spirit of Feedback
Informed Treatment: a few short questions every time, scores over time, and a low score or a
drop as a signal to talk about the collaboration. Stemme's own wording; the licensed ORS/SRS
instruments are not used.

Instruments are versioned data: every answer keeps the version it was given on, forever.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Municipality
from cases.models import Child, NetworkMember
from conversations.models import Conversation


class Respondent(models.TextChoices):
    CHILD = "child", _("The child")
    NETWORK = "network", _("A parent or someone in the network")


class Outcome(models.TextChoices):
    LISTENED = "listened", _("Felt listened to")
    UNDERSTOOD_NEXT = "understood_next", _("Understood what happens next")
    HAD_SAY = "had_say", _("Had a say")
    MATTERED = "mattered", _("Talked about what matters")
    OVERALL = "overall", _("The meeting overall")
    ME = "me", _("Me")
    FAMILY = "family", _("Family")
    SCHOOL = "school", _("School or daycare")
    FRIENDS = "friends", _("Friends")
    EVERYTHING = "everything", _("Everything")


class Instrument(models.Model):
    """A feedback instrument; a municipality may add its own (empty municipality: Stemme's)."""

    key = models.SlugField(_("key"), max_length=50)
    name_da = models.CharField(_("name (Danish)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    respondent = models.CharField(
        _("who answers"), max_length=10, choices=Respondent.choices, default=Respondent.CHILD
    )
    after_meeting = models.BooleanField(_("asked after a meeting"), default=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instruments",
        verbose_name=_("municipality"),
    )

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "key"], name="instrument_key_unique")
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if get_language() == "en" else self.name_da

    def current_version(self):
        """The newest published version: new answers use it."""
        return self.versions.filter(published=True).order_by("-number").first()


class InstrumentVersion(models.Model):
    """One version of an instrument's questions and rules. Never changed once answered."""

    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="versions", verbose_name=_("instrument")
    )
    number = models.PositiveSmallIntegerField(_("version"))
    published = models.BooleanField(_("published"), default=True)
    # Children younger than this answer on faces 1-5; older ones on a 0-10 scale.
    faces_below_age = models.PositiveSmallIntegerField(_("faces below age"), default=10)
    # The alert rules, on the common 0-10 scale.
    alert_below = models.DecimalField(
        _("alert when the score is below"), max_digits=4, decimal_places=1, default=6
    )
    alert_drop = models.DecimalField(
        _("alert when the score drops by more than"), max_digits=4, decimal_places=1, default=2
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("instrument version")
        verbose_name_plural = _("instrument versions")
        ordering = ["instrument", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "number"], name="version_unique")
        ]

    def __str__(self):
        return f"{self.instrument} v{self.number}"

    @property
    def is_answered(self) -> bool:
        """Answered versions are frozen: revise by adding a new version."""
        return self.responses.exists()


class Scale(models.TextChoices):
    FACES = "faces", _("Faces 1-5")
    SLIDER = "slider", _("Scale 0-10")


class Item(models.Model):
    """One short question of an instrument version, and the outcome it measures."""

    version = models.ForeignKey(
        InstrumentVersion, on_delete=models.PROTECT, related_name="items", verbose_name=_("version")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    text_da = models.CharField(_("question (Danish)"), max_length=200)
    text_en = models.CharField(_("question (English)"), max_length=200)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="item_position_unique")
        ]

    def __str__(self):
        return self.text

    @property
    def text(self) -> str:
        return self.text_en if get_language() == "en" else self.text_da


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Channel(models.TextChoices):
    LINK = "link", _("Link or QR code on the child's phone")
    SCREEN = "screen", _("The caseworker's screen, handed to the child")


class FeedbackRequest(models.Model):
    """An invitation to answer once: a single-use link that expires, or the locked screen."""

    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="feedback_requests", verbose_name=_("child")
    )
    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="feedback_requests",
        verbose_name=_("meeting"),
    )
    version = models.ForeignKey(
        InstrumentVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("version")
    )
    respondent = models.CharField(_("who answers"), max_length=10, choices=Respondent.choices)
    network_member = models.ForeignKey(
        NetworkMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("network member"),
    )
    channel = models.CharField(_("how"), max_length=10, choices=Channel.choices)
    # Only the hash of the link's secret is stored: a leaked database opens no answers.
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("feedback request")
        verbose_name_plural = _("feedback requests")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.child_id} {self.created_at:%Y-%m-%d}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class FeedbackResponse(models.Model):
    """One answer to one request, saved question by question so nothing answered is lost."""

    request = models.OneToOneField(
        FeedbackRequest,
        on_delete=models.PROTECT,
        related_name="response",
        verbose_name=_("request"),
    )
    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="feedback", verbose_name=_("child")
    )
    version = models.ForeignKey(
        InstrumentVersion,
        on_delete=models.PROTECT,
        related_name="responses",
        verbose_name=_("version"),
    )
    respondent = models.CharField(_("who answered"), max_length=10, choices=Respondent.choices)
    scale = models.CharField(_("scale"), max_length=10, choices=Scale.choices)
    child_age = models.PositiveSmallIntegerField(_("the child's age"))
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    declined = models.BooleanField(_("did not want to answer"), default=False)
    # The mean of the answered questions on the common 0-10 scale; set when completed.
    score = models.DecimalField(_("score"), max_digits=4, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("feedback answer")
        verbose_name_plural = _("feedback answers")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["child", "completed_at"], name="feedback_child_done")]

    def __str__(self):
        return f"{self.child_id} {self.started_at:%Y-%m-%d}"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class ItemAnswer(models.Model):
    """The answer to one question (empty when the child skipped it)."""

    response = models.ForeignKey(
        FeedbackResponse, on_delete=models.PROTECT, related_name="answers", verbose_name=_("answer")
    )
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, related_name="+", verbose_name=_("question")
    )
    value = models.PositiveSmallIntegerField(_("value"), null=True, blank=True)
    normalized = models.DecimalField(
        _("on the 0-10 scale"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    answered_at = models.DateTimeField(_("answered"), auto_now_add=True)

    class Meta:
        verbose_name = _("answer to a question")
        verbose_name_plural = _("answers to questions")
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="one_answer_per_item")
        ]

    def __str__(self):
        return f"{self.item_id}: {self.value}"


class AlertKind(models.TextChoices):
    LOW = "low", _("Low score")
    DROP = "drop", _("Drop since last time")


class FeedbackAlert(models.Model):
    """A signal to talk with the child about how the meetings work; stays until acknowledged."""

    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="feedback_alerts", verbose_name=_("child")
    )
    response = models.ForeignKey(
        FeedbackResponse, on_delete=models.PROTECT, related_name="alerts", verbose_name=_("answer")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=AlertKind.choices)
    created_at = models.DateTimeField(_("raised"), auto_now_add=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("feedback alert")
        verbose_name_plural = _("feedback alerts")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["child", "acknowledged_at"], name="alert_child_open")]
        # One alert of a kind per answer, whatever races the answer's completion.
        constraints = [
            models.UniqueConstraint(fields=["response", "kind"], name="one_alert_per_kind")
        ]

    def __str__(self):
        return f"{self.child_id} {self.kind}"
