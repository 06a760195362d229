from django.apps import AppConfig


class PortalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "portal"
    verbose_name = "The child's portal"

    def ready(self):
        from portal import mitid  # noqa: F401  (registers the broker's system check)
