"""Background tasks of the insights: count a team's or municipality's dashboard again."""

from django.utils import timezone
from django_tasks import task

from insights import selectors


@task()
def refresh_snapshot(scope_key: str, unit: str) -> bool:
    scope = selectors.scope_from_key(scope_key)
    if scope is None:
        return False
    selectors.snapshot_refresh(scope, selectors.default_period(timezone.localdate()), unit)
    return True
