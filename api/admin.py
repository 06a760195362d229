"""The administrators' view of the case system's connection: its clients, their webhooks and
every delivery, with failed ones at the top and a retry. Nothing is deleted here; tokens and
secrets are never shown (they are made with `manage.py api_client`)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin import AdministratorOnly
from api import webhooks
from api.models import ApiClient, DeliveryState, Webhook, WebhookDelivery


class ReadOnly(AdministratorOnly):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ApiClient)
class ApiClientAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["name", "created_at", "revoked_at"]
    fields = ["name", "created_at", "created_by", "revoked_at"]


@admin.register(Webhook)
class WebhookAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["url", "client", "created_at", "disabled_at"]
    fields = ["url", "client", "created_at", "disabled_at"]
    municipality_field = "client__municipality"


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnly, admin.ModelAdmin):
    list_display = [
        "event",
        "created_at",
        "state",
        "attempts",
        "last_status",
        "last_error",
        "next_attempt_at",
    ]
    list_filter = ["state", "event"]
    ordering = ["state", "-created_at"]
    fields = [
        "event",
        "event_id",
        "webhook",
        "state",
        "attempts",
        "last_attempt_at",
        "last_status",
        "last_error",
        "next_attempt_at",
        "delivered_at",
    ]
    municipality_field = "webhook__client__municipality"
    actions = ["retry"]

    def has_change_permission(self, request, obj=None):
        # Needed for the retry action only; every field stays read-only.
        return AdministratorOnly.has_change_permission(self, request, obj)

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    @admin.action(description=_("Send again"))
    def retry(self, request, queryset):
        again = [d for d in queryset if d.state != DeliveryState.DELIVERED]
        for delivery in again:
            webhooks.delivery_retry(delivery=delivery)
        self.message_user(
            request,
            ngettext(
                "%(count)d delivery will be sent again.",
                "%(count)d deliveries will be sent again.",
                len(again),
            )
            % {"count": len(again)},
            messages.SUCCESS,
        )
