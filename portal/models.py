"""The child's own way into Stemme: a personal code handed over by the caseworker, and a PIN
the child chooses. The code is kept only as a keyed digest (it is shown once, as text and QR);
the PIN is hashed like a password."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Child
from core.models import KeptRecord


class RevokedReason(models.TextChoices):
    WRONG_PINS = "wrong_pins", _("closed after repeated wrong PINs")


class SignInRecord:
    """What the access log says about attempts at the portal's sign-in (its `record`). Entries
    about a known code name the code's child, so the caseworker sees them on the child's page."""

    WRONG_PIN = "portal: wrong PIN"
    PAUSED = "portal: paused after wrong PINs"
    WHILE_PAUSED = "portal: tried while paused"
    CLOSED = "portal: closed after wrong PINs"
    REFUSED = "portal: refused"
    UNKNOWN_CODE = "portal: unknown code from"  # followed by the client address


class PortalAccess(KeptRecord):
    """One child's sign-in to the portal. Revoking it ends the child's sessions at once."""

    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="portal_accesses", verbose_name=_("child")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="portal_access",
        verbose_name=_("the child's sign-in"),
    )
    code_digest = models.CharField(max_length=64, unique=True)
    pin_hash = models.CharField(max_length=200, blank=True)
    code_expires_at = models.DateTimeField(_("the code must be used before"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_reason = models.CharField(
        _("why it was closed"), max_length=20, choices=RevokedReason.choices, blank=True
    )
    failed_pins = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_sign_in_at = models.DateTimeField(_("last signed in"), null=True, blank=True)

    class Meta:
        verbose_name = _("portal access")
        verbose_name_plural = _("portal accesses")
        indexes = [models.Index(fields=["child", "revoked_at"], name="portal_child_open")]

    def __str__(self):
        return f"{self.child_id} {self.created_at:%Y-%m-%d}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def has_pin(self) -> bool:
        return bool(self.pin_hash)

    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()

    def pauses_since(self, since) -> int:
        """How often wrong PINs paused this access since then (counted in the access log)."""
        from audit.models import AccessAction, AccessEvent

        return AccessEvent.objects.filter(
            child_id=self.child_id,
            action=AccessAction.SIGN_IN_FAILED,
            record=SignInRecord.PAUSED,
            at__gte=max(since, self.created_at),
        ).count()


class CodeFailure(models.Model):
    """An unknown (or closed) code typed at the portal's sign-in, with the client's address:
    too many from one address pause the sign-in there. Technical throttling data; the access
    log has its own entry for each."""

    address = models.CharField(_("client address"), max_length=45)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("unknown portal code")
        verbose_name_plural = _("unknown portal codes")
        indexes = [models.Index(fields=["address", "at"], name="portal_code_failure_at")]

    def __str__(self):
        return f"{self.address} {self.at:%Y-%m-%d %H:%M}"


class TalkKind(models.TextChoices):
    TALK = "talk", _("I need to talk")
    UNSAFE = "unsafe", _("I don't feel safe")


class TalkRequest(KeptRecord):
    """The child pressed "I need to talk" or "I don't feel safe". It reaches the caseworker at
    once (and the on-call duty outside working hours) and stays open until someone answers."""

    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="talk_requests", verbose_name=_("child")
    )
    kind = models.CharField(_("what"), max_length=10, choices=TalkKind.choices)
    message = models.TextField(_("what the child wrote"), blank=True, max_length=2000)
    notified = models.CharField(_("who was told"), max_length=300, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("request to talk")
        verbose_name_plural = _("requests to talk")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["child", "answered_at"], name="talk_child_open")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"

    def delivery_late(self, now=None) -> bool:
        """Nobody has been told by mail yet, and it should have happened by now."""
        now = now or timezone.now()
        late = now - timedelta(minutes=settings.STEMME_TASK_WAIT_WARNING_MINUTES)
        return not self.notified and self.created_at < late


class MeetingPreparation(KeptRecord):
    """What the child wants to talk about at the next meeting, and who they want with them
    (a bisidder, Barnets lov § 6). The caseworker sees it when preparing the meeting."""

    conversation = models.OneToOneField(
        "conversations.Conversation",
        on_delete=models.PROTECT,
        related_name="child_preparation",
        verbose_name=_("meeting"),
    )
    topics = models.TextField(_("what I want to talk about"), blank=True, max_length=2000)
    bring = models.CharField(_("who I want with me"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("the child's preparation")
        verbose_name_plural = _("the child's preparations")

    def __str__(self):
        return self.topics[:60]


class ChildResponse(KeptRecord):
    """The child says, in the portal, "I agree" or "I don't agree because ..." about a plan or
    a decision. Kept next to the decision for the caseworker; for a plan it is also written on
    the plan itself."""

    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="portal_responses", verbose_name=_("child")
    )
    plan = models.ForeignKey(
        "plans.ChildPlan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="child_responses",
    )
    decision = models.ForeignKey(
        "cases.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="child_responses",
    )
    agrees = models.BooleanField(_("I agree"))
    because = models.TextField(_("I don't agree because"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("the child's response")
        verbose_name_plural = _("the child's responses")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(plan__isnull=False) ^ models.Q(decision__isnull=False),
                name="child_response_one_subject",
            )
        ]

    def __str__(self):
        return _("I agree") if self.agrees else self.because[:60]
