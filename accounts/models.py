"""Municipalities are the tenants; staff and external contributors belong to one."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

municipality_code_validator = RegexValidator(
    r"^\d{3}$", _("A municipality code is exactly three digits, for example 265.")
)


class Municipality(models.Model):
    """A tenant, identified by its official three-digit municipality code (kommunekode)."""

    code = models.CharField(
        _("municipality code"), max_length=3, unique=True, validators=[municipality_code_validator]
    )
    name = models.CharField(_("name"), max_length=100)
    caseload_threshold = models.PositiveSmallIntegerField(
        _("caseload threshold"),
        null=True,
        blank=True,
        help_text=_("Children per caseworker before a warning. Empty: the national default."),
    )
    # "Who has looked at my case" shows date, role, unit and purpose; employee names only when
    # the municipality turns this on (Datatilsynet 2024, after CJEU C-579/21: employee
    # identities are generally not part of the answer to the person).
    on_call_email = models.EmailField(
        _("on-call duty's e-mail"),
        blank=True,
        help_text=_('Outside working hours, a child\'s "I need to talk" also goes here.'),
    )
    on_call_phone = models.CharField(_("on-call duty's phone"), max_length=30, blank=True)
    show_staff_names_to_child = models.BooleanField(
        _("show employee names in 'who has looked at my case'"), default=False
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    def effective_caseload_threshold(self) -> int:
        """The caseload above which a caseworker is flagged as over threshold."""
        return self.caseload_threshold or settings.STEMME_CASELOAD_THRESHOLD


class Team(models.Model):
    """A team of caseworkers under one team leader, within a municipality."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="teams", verbose_name=_("municipality")
    )
    name = models.CharField(_("name"), max_length=100)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="team_name_unique")
        ]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Caseworker")
    TEAM_LEADER = "team_leader", _("Team leader")
    HEAD_OF_DEPARTMENT = "head_of_department", _("Head of department")
    ADMINISTRATOR = "administrator", _("Administrator")
    ANALYST = "analyst", _("Analyst")
    CONTRIBUTOR = "contributor", _("External contributor")
    CHILD = "child", _("Child or young person (the portal)")
    CASE_SYSTEM = "case_system", _("Case system (API client)")
    CONSULTANT = "consultant", _("External consultant (reflection on practice)")


STAFF_ROLES = {
    Role.CASEWORKER,
    Role.TEAM_LEADER,
    Role.HEAD_OF_DEPARTMENT,
    Role.ADMINISTRATOR,
    Role.ANALYST,
}


class User(AbstractUser):
    """A person who signs in: municipal staff with a role, or an external contributor."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("municipality"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("team"),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    title = models.CharField(_("job title"), max_length=100, blank=True)
    # Shown to the children the caseworker holds, so they know who they will meet.
    photo = models.FileField(_("photo"), upload_to="staff/photos/", blank=True)
    # Set when the account is deactivated; staff turnover is counted from it.
    left_on = models.DateField(_("left"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        indexes = [models.Index(fields=["municipality", "role"])]

    def __str__(self):
        return self.get_full_name() or self.username

    def delete(self, *args, **kwargs):
        raise NotImplementedError("Users are deactivated, never deleted.")

    @property
    def is_municipal_staff(self) -> bool:
        """True for the municipality's own employees (not external contributors)."""
        return self.role in STAFF_ROLES

    @property
    def needs_second_factor(self) -> bool:
        """Staff must confirm sign-in with TOTP when the municipality requires it."""
        return self.is_municipal_staff or self.is_superuser or self.role == Role.CONSULTANT
