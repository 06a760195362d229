"""What every Stemme record shares: nothing is hard-deleted, every change keeps who and when.

Removal is a recorded, reasoned state change (`core.services.record_remove`); the default manager
hides removed records, `all_objects` still finds them, and deleting raises.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class HardDeleteRefused(Exception):
    """Stemme keeps every record; use core.services.record_remove instead."""


class KeptQuerySet(models.QuerySet):
    def delete(self):
        raise HardDeleteRefused("Records are never hard-deleted; remove them with a reason.")

    def active(self):
        return self.filter(removed_at__isnull=True)


class ActiveManager(models.Manager.from_queryset(KeptQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(removed_at__isnull=True)


class KeptRecord(models.Model):
    """A record that is never deleted and whose every change is kept in its history."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("removed by"),
    )
    removed_reason = models.TextField(_("reason for removal"), blank=True)

    history = HistoricalRecords(inherit=True)

    objects = ActiveManager()
    all_objects = models.Manager.from_queryset(KeptQuerySet)()

    class Meta:
        abstract = True
        base_manager_name = "all_objects"

    def delete(self, *args, **kwargs):
        raise HardDeleteRefused("Records are never hard-deleted; remove them with a reason.")

    @property
    def is_removed(self) -> bool:
        """True once the record has been removed (it is still kept)."""
        return self.removed_at is not None


class WorkerHeartbeat(models.Model):
    """A background worker saying it is alive. A task held by a worker that has fallen silent
    was abandoned (the process was killed) and is taken up again (core.worker)."""

    worker_id = models.CharField(max_length=64, unique=True)
    queues = models.CharField(max_length=200)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.worker_id} ({self.queues})"


class SentMail(models.Model):
    """One e-mail Stemme must send once: the key names what it is about (e.g. the child's alarm
    and its id), so a task that runs again after a crash does not send it twice."""

    key = models.CharField(max_length=200, unique=True)
    recipients = models.TextField()
    attempted_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.key
