"""Municipal sign-in for staff through the municipality's OpenID Connect provider
(mozilla-django-oidc). The provider's groups decide the role (and, optionally, the team) as the
settings map them; someone in none of the mapped groups is refused. A staff member who signs in
this way has confirmed their sign-in with the provider's own second factor, unless the
municipality asks for Stemme's TOTP as well (STEMME_OIDC_SECOND_FACTOR=stemme)."""

import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from accounts.models import Municipality, Role, Team, User
from accounts.signin import next_url
from audit.models import AccessAction
from audit.services import access_record

logger = logging.getLogger(__name__)

# Set in the session when the provider confirmed the sign-in (read by the second-factor check).
IDP_VERIFIED = "stemme_signed_in_by_idp"


def _mapping(setting: str) -> dict[str, str]:
    """'group=value,group=value' as a dict."""
    pairs = (item.split("=", 1) for item in getattr(settings, setting) if "=" in item)
    return {group.strip(): value.strip() for group, value in pairs}


def role_for_groups(groups: list[str]) -> str | None:
    """The mapped role of the highest rank among the user's groups; None if none is mapped."""
    mapped = _mapping("STEMME_OIDC_ROLE_GROUPS")
    roles = {mapped[group] for group in groups if group in mapped}
    for role in (
        Role.HEAD_OF_DEPARTMENT,
        Role.TEAM_LEADER,
        Role.CASEWORKER,
        Role.ADMINISTRATOR,
        Role.ANALYST,
    ):
        if role in roles:
            return role
    return None


def team_for_groups(municipality: Municipality, groups: list[str]) -> Team | None:
    mapped = _mapping("STEMME_OIDC_TEAM_GROUPS")
    names = [mapped[group] for group in groups if group in mapped]
    if not names:
        return None
    return Team.objects.filter(municipality=municipality, name__in=names).order_by("name").first()


class MunicipalOIDCBackend(OIDCAuthenticationBackend):
    """Finds or creates the staff member by the provider's username claim, in the one
    municipality this installation signs in for; the role follows the groups at every sign-in."""

    def _municipality(self) -> Municipality:
        found = Municipality.objects.filter(code=settings.STEMME_OIDC_MUNICIPALITY).first()
        if found is None:
            raise SuspiciousOperation("STEMME_OIDC_MUNICIPALITY names no municipality.")
        return found

    def _username(self, claims) -> str:
        username = str(claims.get(settings.STEMME_OIDC_USERNAME_CLAIM) or "").strip()[:150]
        if not username:
            raise SuspiciousOperation("The provider sent no username.")
        return username

    def _groups(self, claims) -> list[str]:
        groups = claims.get(settings.STEMME_OIDC_GROUPS_CLAIM) or []
        return [str(group) for group in groups] if isinstance(groups, list) else [str(groups)]

    def verify_claims(self, claims):
        return bool(claims.get(settings.STEMME_OIDC_USERNAME_CLAIM)) and (
            role_for_groups(self._groups(claims)) is not None
        )

    def filter_users_by_claims(self, claims):
        username = self._username(claims)
        if (
            User.objects.filter(username=username)
            .exclude(municipality=self._municipality())
            .exists()
        ):
            raise SuspiciousOperation("That username belongs to another municipality.")
        return User.objects.filter(username=username, municipality=self._municipality())

    def create_user(self, claims):
        user = User(username=self._username(claims), municipality=self._municipality())
        user.set_unusable_password()
        return self.update_user(user, claims)

    def update_user(self, user, claims):
        if user.role in (Role.CONTRIBUTOR, Role.CHILD, Role.CASE_SYSTEM) and user.pk:
            raise SuspiciousOperation("Only staff sign in through the municipality.")
        groups = self._groups(claims)
        user.role = role_for_groups(groups)
        user.team = team_for_groups(user.municipality, groups) or user.team
        user.first_name = str(claims.get("given_name") or user.first_name)[:150]
        user.last_name = str(claims.get("family_name") or user.last_name)[:150]
        user.email = str(claims.get("email") or user.email)[:254]
        user.last_login = timezone.now()
        user.save()
        return user


def _enabled_or_404():
    if not settings.STEMME_OIDC_ENABLED:
        raise Http404


class SignInStart(OIDCAuthenticationRequestView):
    """Send the staff member to the municipality's provider (404 when it is not set up)."""

    def get(self, request):
        _enabled_or_404()
        return super().get(request)


class SignInCallback(OIDCAuthenticationCallbackView):
    """Back from the provider: signed in, logged, and the second factor taken as given by the
    provider unless the municipality asks for Stemme's own as well."""

    def get(self, request):
        _enabled_or_404()
        return super().get(request)

    @property
    def success_url(self):
        return next_url(self.request, self.request.session.get("oidc_login_next") or "")

    def login_success(self):
        response = super().login_success()
        if settings.STEMME_OIDC_SECOND_FACTOR == "idp":
            self.request.session[IDP_VERIFIED] = True
        access_record(
            user=self.user, action=AccessAction.SIGN_IN, record="oidc", path=self.request.path
        )
        return response

    def login_failure(self):
        access_record(
            user=self.request.user,
            action=AccessAction.SIGN_IN_FAILED,
            record="oidc",
            path=self.request.path,
        )
        messages.error(
            self.request,
            _(
                "The municipality's sign-in did not let you into Stemme. Your account may not "
                "have a role in Stemme yet: ask your administrator."
            ),
        )
        return super().login_failure()
