"""Administrators add their municipality's instruments and revise them as new versions; a
version that has been answered is frozen, so old scores keep their meaning."""

from django.contrib import admin
from django.db.models import Q

from accounts.admin import AdministratorOnly
from feedback.models import Instrument, InstrumentVersion, Item


class ItemInline(admin.TabularInline):
    model = Item
    extra = 0
    fields = ["position", "outcome", "text_da", "text_en"]

    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.is_answered

    has_add_permission = has_change_permission

    def has_delete_permission(self, request, obj=None):
        return False


class OwnOrStemmeDefaults(AdministratorOnly):
    """Stemme's defaults (no municipality) can be read by every administrator, changed by none."""

    municipality_path = "municipality"

    def scope(self, request, queryset):
        if request.user.is_superuser:
            return queryset
        own = request.user.municipality_id
        return queryset.filter(
            Q(**{f"{self.municipality_path}__isnull": True}) | Q(**{self.municipality_path: own})
        )

    def _is_own(self, request, obj) -> bool:
        if obj is None or request.user.is_superuser:
            return True
        owner = obj
        for part in self.municipality_path.split("__")[:-1]:
            owner = getattr(owner, part)
        return owner.municipality_id == request.user.municipality_id


@admin.register(Instrument)
class InstrumentAdmin(OwnOrStemmeDefaults, admin.ModelAdmin):
    list_display = ["key", "name_da", "respondent", "after_meeting", "municipality"]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._is_own(request, obj)


@admin.register(InstrumentVersion)
class InstrumentVersionAdmin(OwnOrStemmeDefaults, admin.ModelAdmin):
    municipality_path = "instrument__municipality"
    list_display = ["instrument", "number", "published", "alert_below", "alert_drop"]
    inlines = [ItemInline]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_answered:
            return False  # revise by adding a new version
        return super().has_change_permission(request, obj) and self._is_own(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "instrument" and not request.user.is_superuser:
            kwargs["queryset"] = Instrument.objects.filter(
                municipality_id=request.user.municipality_id
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
