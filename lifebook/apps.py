from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LifebookConfig(AppConfig):
    name = "lifebook"
    verbose_name = _("The child's life book")
