"""The access log: every look at a child's data, every change, sign-in and refusal.

Append-only and hash-chained: each entry carries the keyed hash (HMAC-SHA256) of its own content
and of the entry before it, so an altered, removed or inserted entry breaks the chain
(`manage.py audit_verify`). On PostgreSQL a trigger also refuses UPDATE and DELETE.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    CHANGE = "change", _("Changed")
    EXPORT = "export", _("Exported")
    DOWNLOAD = "download", _("Downloaded")
    SEARCH = "search", _("Searched")
    BREAK_GLASS = "break_glass", _("Opened without assignment")
    REFUSED = "refused", _("Refused")
    SIGN_IN = "sign_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in")
    SIGN_OUT = "sign_out", _("Signed out")
    ANSWER = "answer", _("The child answered")
    # Security events: what an administrator (or operator) did to a person's access.
    ROLE_CHANGE = "role_change", _("Changed a user's role")
    USER_ACTIVATE = "user_activate", _("Activated a user")
    USER_DEACTIVATE = "user_deactivate", _("Deactivated a user")
    PASSWORD_RESET = "password_reset", _("Reset a user's password")
    SECOND_FACTOR_RESET = "second_factor_reset", _("Reset a user's second factor")
    EMAIL_CHANGE = "email_change", _("Changed a user's e-mail address")


SECURITY_EVENTS = [
    AccessAction.ROLE_CHANGE,
    AccessAction.USER_ACTIVATE,
    AccessAction.USER_DEACTIVATE,
    AccessAction.PASSWORD_RESET,
    AccessAction.SECOND_FACTOR_RESET,
    AccessAction.EMAIL_CHANGE,
]


# What counts as a look at the child's data, for "who has looked at my case".
LOOKS = [
    AccessAction.VIEW,
    AccessAction.CHANGE,
    AccessAction.EXPORT,
    AccessAction.DOWNLOAD,
    AccessAction.BREAK_GLASS,
]


class AccessBasis(models.TextChoices):
    """Why the user could see the child at that moment."""

    ASSIGNED = "assigned", _("works on the case")
    TEAM = "team", _("leads the caseworker's team")
    DEPARTMENT = "department", _("heads the department")
    CONTRIBUTOR = "contributor", _("contributes to the life book")
    OWN = "own", _("the child or young person themself")
    BREAK_GLASS = "break_glass", _("opened the case without being assigned")
    CASE_SYSTEM = "case_system", _("the municipality's case system")


class AccessEvent(models.Model):
    """One entry of the access log. Never changed, never deleted."""

    sequence = models.PositiveBigIntegerField(_("number"), unique=True)
    at = models.DateTimeField(_("when"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, blank=True)
    municipality_code = models.CharField(_("municipality"), max_length=3, blank=True)
    unit = models.CharField(_("unit"), max_length=100, blank=True)
    child = models.ForeignKey(
        "cases.Child",
        on_delete=models.PROTECT,
        null=True,
        related_name="access_events",
        verbose_name=_("child"),
    )
    # The id asked for, kept also when it was refused (and so no child is linked).
    requested_child_id = models.BigIntegerField(_("requested child"), null=True)
    action = models.CharField(_("action"), max_length=20, choices=AccessAction.choices)
    record = models.CharField(_("record"), max_length=100, blank=True)
    basis = models.CharField(_("basis"), max_length=20, choices=AccessBasis.choices, blank=True)
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    path = models.CharField(_("address"), max_length=300, blank=True)
    previous_hash = models.CharField(_("previous hash"), max_length=64)
    entry_hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        verbose_name = _("access event")
        verbose_name_plural = _("access events")
        ordering = ["-sequence"]
        indexes = [
            models.Index(fields=["child", "at"], name="access_child_at"),
            models.Index(fields=["user", "at"], name="access_user_at"),
            models.Index(fields=["municipality_code", "at"], name="access_municipality_at"),
        ]

    def __str__(self):
        return f"#{self.sequence} {self.at:%Y-%m-%d %H:%M} {self.role} {self.action} {self.record}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The access log is append-only.")

    @property
    def is_break_glass(self) -> bool:
        return self.basis == AccessBasis.BREAK_GLASS

    @property
    def is_security_event(self) -> bool:
        """A change to a person's access (role, activation, password, second factor)."""
        return self.action in SECURITY_EVENTS

    @property
    def what(self) -> str:
        """What the entry concerned, in words: for a security event, whom it concerned and, for
        a role change, the roles before and after (stored as codes, shown translated)."""
        if self.action == AccessAction.ROLE_CHANGE and "→" in self.purpose:
            from accounts.models import Role

            def label(code):
                return Role(code).label if code in Role.values else _("no role")

            before, after = self.purpose.split("→", 1)
            return _("%(person)s: %(before)s → %(after)s") % {
                "person": self.record,
                "before": label(before),
                "after": label(after),
            }
        return self.record


class ChainHead(models.Model):
    """The latest entry's number and hash; its row lock serialises appends to the chain."""

    sequence = models.PositiveBigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("access log head")

    def __str__(self):
        return f"{self.sequence}:{self.entry_hash}"
