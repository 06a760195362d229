"""User and role management for a municipality's administrators, scoped to their municipality.
Nothing can be deleted here: users are deactivated."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import Municipality, Team, User
from core.admin_site import is_administrator


class AdministratorOnly:
    """Administrators manage their own municipality; superusers everything. Nothing is deleted."""

    def has_module_permission(self, request):
        return is_administrator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_administrator(request.user)

    def has_add_permission(self, request):
        return is_administrator(request.user)

    def has_change_permission(self, request, obj=None):
        return is_administrator(request.user)

    def has_delete_permission(self, request, obj=None):
        return False

    municipality_field = "municipality"

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A version is a number; a relative link on the version page (the user's "password/")
        # lands here with a word, which must be a plain "not found", not a server error.
        if not str(version_id).isdecimal():
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{self.municipality_field: request.user.municipality_id})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            if db_field.name == "municipality":
                kwargs["queryset"] = Municipality.objects.filter(pk=request.user.municipality_id)
            elif db_field.name == "team":
                kwargs["queryset"] = Team.objects.filter(
                    municipality_id=request.user.municipality_id
                )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser and hasattr(obj, "municipality_id"):
            obj.municipality_id = request.user.municipality_id
        super().save_model(request, obj, form, change)


@admin.register(Municipality)
class MunicipalityAdmin(AdministratorOnly, SimpleHistoryAdmin):
    list_display = ["code", "name", "caseload_threshold", "show_staff_names_to_child"]
    municipality_field = "pk"

    def has_add_permission(self, request):
        return request.user.is_superuser


@admin.register(Team)
class TeamAdmin(AdministratorOnly, SimpleHistoryAdmin):
    list_display = ["name", "municipality"]


@admin.register(User)
class UserAdmin(AdministratorOnly, SimpleHistoryAdmin, BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "team", "is_active"]
    list_filter = ["role", "team", "is_active"]
    search_fields = ["username", "first_name", "last_name", "email"]
    search_words = 10
    actions = ["reset_second_factor", "deactivate"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "title", "email", "phone"]}),
        (_("Role"), {"fields": ["municipality", "role", "team", "is_active", "left_on"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["username", "password1", "password2", "municipality", "role", "team"],
            },
        )
    ]
    readonly_fields = ["last_login", "date_joined"]

    def get_search_results(self, request, queryset, search_term):
        # A search is a few words; a pasted page of text must not become a query of thousands
        # of conditions, which the database refuses with an error.
        words = " ".join(search_term.split()[: self.search_words])[:200]
        return super().get_search_results(request, queryset, words)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser and obj is not None:
            fieldsets = [*fieldsets, (_("System"), {"fields": ["is_superuser", "is_staff"]})]
        return fieldsets

    @admin.action(description=_("Reset the second factor (the user sets it up again)"))
    def reset_second_factor(self, request, queryset):
        # A lost phone: the old authenticator stops working at once; the user enrols anew.
        devices = TOTPDevice.objects.filter(user__in=queryset)
        for device in devices:
            device.key = default_key()
            device.confirmed = False
            device.save(update_fields=["key", "confirmed"])
        messages.success(
            request, _("Second factor reset for %(n)d users.") % {"n": queryset.count()}
        )

    @admin.action(description=_("Deactivate (the user can no longer sign in)"))
    def deactivate(self, request, queryset):
        for user in queryset:
            user.is_active = False
            user.left_on = user.left_on or timezone.localdate()
            user._history_user = request.user
            user.save(update_fields=["is_active", "left_on"])
        messages.success(request, _("Deactivated %(n)d users.") % {"n": queryset.count()})
