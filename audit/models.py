"""The access log: every look at a child's data, every refusal. Append-only."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    CHANGE = "change", _("Changed")
    REFUSED = "refused", _("Refused")


class AccessEvent(models.Model):
    """One access to a child's data (or a refused attempt), with who, role, what, when and why."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, blank=True)
    municipality_code = models.CharField(_("municipality"), max_length=3, blank=True)
    child = models.ForeignKey(
        "cases.Child",
        on_delete=models.PROTECT,
        null=True,
        related_name="access_events",
        verbose_name=_("child"),
    )
    # The id asked for, kept also when it was refused (and so no child is linked).
    requested_child_id = models.BigIntegerField(_("requested child"), null=True)
    action = models.CharField(_("action"), max_length=10, choices=AccessAction.choices)
    record = models.CharField(_("record"), max_length=100, blank=True)
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    path = models.CharField(_("address"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("access event")
        verbose_name_plural = _("access events")
        ordering = ["-at"]
        indexes = [models.Index(fields=["child", "at"], name="access_child_at")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.role} {self.action} {self.record}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The access log is append-only.")
