"""Every ModelAdmin in Stemme's admin is tenant-scoped: an administrator reaches only objects of
their own municipality, through every URL the ModelAdmin has — Django's own, and any a library
adds (django-simple-history's history, version and revert pages; the password page; a device's
QR code). Operators (superusers) run the whole installation and see every municipality.

The scope is enforced twice: `get_queryset` filters lists, actions and Django's own object
lookups, and `get_urls` puts a guard in front of every URL that carries an object id, which
answers 404 unless the object is in `get_queryset` — so a library view that fetches its object
some other way can still not reach another municipality. `accounts.checks` fails when a model is
registered without this mixin."""

import functools

from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import URLPattern

from accounts.models import Municipality, Team

# The names Django and the libraries give the object id in an admin URL. A URL that captures
# anything else is for operators only (404 for administrators) until it is named here.
OBJECT_ID_NAMES = ("object_id", "id", "pk")


class TenantScoped:
    """Scopes a ModelAdmin to the signed-in administrator's municipality.

    `municipality_field` is the path from the model to its municipality (`"pk"` for
    `Municipality` itself, `"client__municipality"` through a relation); `None` means the model
    belongs to no municipality, and only operators see it."""

    municipality_field: str | None = "municipality"

    def scope(self, request, queryset):
        """The part of `queryset` this user may reach in the admin."""
        user = request.user
        if user.is_superuser:
            return queryset
        municipality_id = getattr(user, "municipality_id", None)
        if self.municipality_field is None or municipality_id is None:
            return queryset.none()
        return queryset.filter(**{self.municipality_field: municipality_id})

    def get_queryset(self, request):
        return self.scope(request, super().get_queryset(request))

    def in_scope(self, request, object_id) -> bool:
        """Whether the object named in a URL is one this user may reach."""
        try:
            return self.get_queryset(request).filter(pk=unquote(str(object_id))).exists()
        except (ValueError, TypeError, ValidationError):
            return False  # not even a valid id

    def get_urls(self):
        return [self._guarded(pattern) for pattern in super().get_urls()]

    def _guarded(self, pattern):
        regex = pattern.pattern.regex
        if not isinstance(pattern, URLPattern) or regex.groups == 0:
            return pattern  # the list and the add page: get_queryset and the forms scope them
        named = [name for name in OBJECT_ID_NAMES if name in regex.groupindex]
        view = pattern.callback

        @functools.wraps(view)
        def guarded(request, *args, **kwargs):
            if self.admin_site.has_permission(request):
                if named:
                    object_id = kwargs[named[0]]
                elif args and not regex.groupindex:
                    object_id = args[0]  # a library's regex URL: the object comes first
                else:
                    object_id = None
                if object_id is None:
                    if not request.user.is_superuser:
                        raise Http404
                elif not self.in_scope(request, object_id):
                    raise Http404
            return view(request, *args, **kwargs)

        return URLPattern(pattern.pattern, guarded, pattern.default_args, pattern.name)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            own = getattr(request.user, "municipality_id", None)
            if db_field.related_model is Municipality:
                kwargs["queryset"] = Municipality.objects.filter(pk=own)
            elif db_field.related_model is Team:
                kwargs["queryset"] = Team.objects.filter(municipality_id=own)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def assign_municipality(self, request, obj) -> None:
        """An administrator's new or changed object stays in (or comes to) their municipality,
        whatever a forged form says."""
        if not request.user.is_superuser and hasattr(obj, "municipality_id"):
            obj.municipality_id = request.user.municipality_id

    def save_model(self, request, obj, form, change):
        self.assign_municipality(request, obj)
        super().save_model(request, obj, form, change)


class OperatorsOnly(TenantScoped):
    """A model that belongs to no municipality (a library's sign-in attempts, task results,
    authenticator devices): operators only; administrators do not see it at all."""

    municipality_field = None

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)
