"""Template help for work done in the background: say so when it waits longer than it should."""

from datetime import timedelta

from django import template
from django.conf import settings
from django.utils import timezone

register = template.Library()


@register.filter
def waiting_too_long(record) -> bool:
    """True for a queued or running job (a book, a file) asked for longer ago than the worker
    should need (STEMME_TASK_WAIT_WARNING_MINUTES)."""
    limit = timedelta(minutes=settings.STEMME_TASK_WAIT_WARNING_MINUTES)
    return record.created_at < timezone.now() - limit
