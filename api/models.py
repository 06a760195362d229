"""System clients of the API: the municipality's case system, with its own scoped tokens —
never a staff member's password. Each client acts as a service user (role "case_system") so
every call goes through the same access helper as the pages and lands in the access log."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Municipality


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiClient(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="api_clients"
    )
    name = models.CharField(_("name"), max_length=100)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_client"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # What its tokens may do: "read" (file the child's voice), "write" (send children and the
    # case's course). A case system that only files gets only "read".
    scopes = models.CharField(_("scopes"), max_length=50, default="read write")

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")

    def __str__(self):
        return self.name


SCOPES = ("read", "write")


class ApiToken(models.Model):
    """A bearer token; only its digest is kept. Rotating gives a new one and lets the old one
    run out after a grace period; revoking ends it at once."""

    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="tokens")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.client} {self.prefix}…"

    def is_usable(self, now=None) -> bool:
        """Not revoked, not run out, and its client not revoked."""
        now = now or timezone.now()
        return (
            self.revoked_at is None
            and (self.expires_at is None or self.expires_at > now)
            and self.client.revoked_at is None
        )


class Webhook(models.Model):
    """Where the case system wants to hear that something happened (a decision made final, a
    conversation documented). Bodies are signed with the webhook's own secret."""

    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="webhooks")
    url = models.URLField(_("address"), max_length=500)
    secret = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    disabled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self):
        return self.url


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    DELIVERED = "delivered", _("delivered")
    FAILED = "failed", _("failed: gave up")


class WebhookDelivery(models.Model):
    """One event for one webhook, with every attempt's outcome; retried with backoff until it
    is delivered or the attempts run out. A failure stays visible in the admin."""

    webhook = models.ForeignKey(Webhook, on_delete=models.PROTECT, related_name="deliveries")
    event_id = models.UUIDField(unique=True)
    event = models.CharField(_("event"), max_length=50)
    child = models.ForeignKey("cases.Child", on_delete=models.PROTECT, related_name="+")
    payload = models.JSONField()
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    state = models.CharField(
        _("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self):
        return f"{self.event} {self.event_id}"


class ImportState(models.TextChoices):
    CHECKING = "checking", _("being checked")
    CHECKED = "checked", _("checked")
    IMPORTING = "importing", _("being imported")
    IMPORTED = "imported", _("imported")
    FAILED = "failed", _("failed")


class ImportBatch(models.Model):
    """One file of children and cases from the case system: checked by a dry run, then
    imported whole (or not at all), both by the worker. Its rows and report are kept with who
    and when."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("file"), max_length=200)
    state = models.CharField(
        _("state"), max_length=10, choices=ImportState.choices, default=ImportState.CHECKED
    )
    rows = models.JSONField()
    report = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("checked"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self):
        return self.file_name
