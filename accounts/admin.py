"""User and role management for a municipality's administrators, scoped to their municipality.
Nothing can be deleted here: users are deactivated."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm as BaseUserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts import services
from accounts.admin_scope import OperatorsOnly, TenantScoped
from accounts.models import Municipality, Team, User
from core.admin_site import is_administrator


class AdministratorOnly(TenantScoped):
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

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A version is a number; a relative link on the version page (the user's "password/")
        # lands here with a word, which must be a plain "not found", not a server error.
        if not str(version_id).isdecimal():
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(Municipality)
class MunicipalityAdmin(AdministratorOnly, SimpleHistoryAdmin):
    list_display = ["code", "name", "caseload_threshold", "show_staff_names_to_child"]
    municipality_field = "pk"

    def has_add_permission(self, request):
        return request.user.is_superuser


@admin.register(Team)
class TeamAdmin(AdministratorOnly, SimpleHistoryAdmin):
    list_display = ["name", "municipality"]


class UserChangeForm(BaseUserChangeForm):
    """The change form (and a history version's revert form): nobody changes their own role."""

    actor = None  # set per request by UserAdmin.get_form

    def clean(self):
        cleaned = super().clean()
        if self.actor is not None:
            role = cleaned.get("role", self.instance.role)  # a revert carries the old role
            refusal = services.role_change_refusal(actor=self.actor, user=self.instance, role=role)
            if refusal:
                raise ValidationError(refusal)
        return cleaned


class UserAddForm(forms.ModelForm):
    """A new user gets no password from the administrator: a one-use link goes to their e-mail."""

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "municipality", "role", "team"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].help_text = _("The link to choose a password is sent here.")


@admin.register(User)
class UserAdmin(AdministratorOnly, SimpleHistoryAdmin, BaseUserAdmin):
    form = UserChangeForm
    add_form = UserAddForm
    list_display = ["username", "first_name", "last_name", "role", "team", "is_active"]
    # Only the teams of the listed users: a plain filter would list every municipality's teams.
    list_filter = ["role", ("team", admin.RelatedOnlyFieldListFilter), "is_active"]
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
                "fields": UserAddForm.Meta.fields,
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

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk == request.user.pk:
            readonly.append("role")  # and UserChangeForm refuses it, also in a revert
        return readonly

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def save_model(self, request, obj, form, change):
        self.assign_municipality(request, obj)
        if change:
            services.user_update(actor=request.user, user=obj)
        else:
            services.user_create(actor=request.user, user=obj)

    def user_change_password(self, request, id, form_url=""):
        """Instead of a password the administrator would know: a one-use link to the person."""
        user = self.get_object(request, unquote(id))
        if user is None:
            raise Http404
        if not self.has_change_permission(request, user):
            raise PermissionDenied
        if request.method == "POST":
            try:
                services.user_password_reset(actor=request.user, user=user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _(
                        "The old password no longer works. A link to choose a new one was "
                        "sent to %(email)s."
                    )
                    % {"email": user.email},
                )
            return redirect(reverse("admin:accounts_user_change", args=[user.pk]))
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request,
            "admin/accounts/user/password_reset.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Reset password: %(user)s") % {"user": user},
                "opts": self.opts,
                "original": user,
            },
        )

    @admin.action(description=_("Reset the second factor (the user sets it up again)"))
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            services.user_second_factor_reset(actor=request.user, user=user)
        messages.success(
            request, _("Second factor reset for %(n)d users.") % {"n": queryset.count()}
        )

    @admin.action(description=_("Deactivate (the user can no longer sign in)"))
    def deactivate(self, request, queryset):
        for user in queryset:
            services.user_deactivate(actor=request.user, user=user)
        messages.success(request, _("Deactivated %(n)d users.") % {"n": queryset.count()})


# The libraries' own registrations (groups, authenticator devices, sign-in attempts, task
# results) belong to no municipality: operators only, behind the same guard as everything else.
for _model in [
    model
    for model, model_admin in admin.site._registry.items()
    if not isinstance(model_admin, TenantScoped)
]:
    _library_admin = type(admin.site._registry[_model])
    admin.site.unregister(_model)
    admin.site.register(
        _model, type(f"Operators{_library_admin.__name__}", (OperatorsOnly, _library_admin), {})
    )
