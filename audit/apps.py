from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Access log")

    def ready(self):
        from audit import checks  # noqa: F401  (registers the production checks)

        # Every deploy migrates, so the worker's anchoring starts without anyone remembering it.
        post_migrate.connect(_start_anchoring, sender=self, dispatch_uid="audit_anchoring")


def _start_anchoring(sender, using="default", **kwargs):
    from audit.tasks import anchor_schedule

    anchor_schedule(using=using)
