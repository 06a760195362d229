"""Break-glass: staff who are not assigned to a child open it by stating why; it is flagged and
reviewed by their leader."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BreakGlassGrant(models.Model):
    """Access to one child for a limited time, given to a user who stated a reason."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="break_glass_grants",
        verbose_name=_("user"),
    )
    child = models.ForeignKey(
        "cases.Child",
        on_delete=models.PROTECT,
        related_name="break_glass_grants",
        verbose_name=_("child"),
    )
    reason = models.TextField(_("reason"))
    granted_at = models.DateTimeField(_("opened"))
    expires_at = models.DateTimeField(_("expires"))
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledgement_note = models.TextField(_("leader's note"), blank=True)

    class Meta:
        verbose_name = _("access without assignment")
        verbose_name_plural = _("accesses without assignment")
        ordering = ["-granted_at"]
        indexes = [
            models.Index(fields=["user", "expires_at"], name="grant_user_expires"),
            models.Index(fields=["acknowledged_at", "granted_at"], name="grant_review"),
        ]

    def __str__(self):
        return f"{self.user} → {self.child_id} ({self.granted_at:%Y-%m-%d %H:%M})"

    def delete(self, *args, **kwargs):
        raise PermissionError("Break-glass grants are kept.")

    @property
    def is_active(self) -> bool:
        """True while the grant still opens the child."""
        return self.expires_at > timezone.now()
