from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Stemme"

    def ready(self):
        # Every app's URLs use <id:...>; registered here, it exists whenever Django is set up.
        from django.urls import register_converter

        from core.converters import IdConverter

        register_converter(IdConverter, "id")


class StemmeAdminConfig(AdminConfig):
    default_site = "core.admin_site.StemmeAdminSite"
