from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Stemme"


class StemmeAdminConfig(AdminConfig):
    default_site = "core.admin_site.StemmeAdminSite"
