"""The Django admin is for administrators only (user and role management), never caseworkers."""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from accounts.models import Role


def is_administrator(user) -> bool:
    return user.is_active and (user.is_superuser or user.role == Role.ADMINISTRATOR)


class StemmeAdminSite(admin.AdminSite):
    site_header = _("Stemme administration")
    site_title = _("Stemme administration")
    index_title = _("Users, roles and municipalities")

    def has_permission(self, request):
        return is_administrator(request.user)

    def login(self, request, extra_context=None):
        # Signed-in staff who are not administrators are refused, not sent round in circles.
        if request.user.is_authenticated:
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next") or "/admin/")
