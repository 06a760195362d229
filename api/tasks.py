"""Background tasks of the API, run by the database worker (`manage.py db_worker`)."""

from django_tasks import task

from api import webhooks
from api.models import DeliveryState, WebhookDelivery
from audit.models import AccessAction, AccessBasis
from audit.services import access_record


@task()
def deliver_webhook(delivery_id: int) -> bool:
    """Send one webhook delivery; on failure, queue the next attempt after the backoff."""
    delivery = (
        WebhookDelivery.objects.select_related("webhook__client__user", "child")
        .filter(pk=delivery_id, state=DeliveryState.PENDING)
        .first()
    )
    if delivery is None:
        return False
    delivered = webhooks.attempt(delivery)
    if delivered:
        access_record(
            user=delivery.webhook.client.user,
            action=AccessAction.VIEW,
            child=delivery.child,
            record=f"webhook:{delivery.event}",
            basis=AccessBasis.CASE_SYSTEM,
            purpose="Besked til sagssystemet",
        )
    elif delivery.state == DeliveryState.PENDING:
        deliver_webhook.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)
    return delivered


@task()
def check_import(batch_id: int) -> bool:
    """The dry run of an uploaded file of children and cases."""
    from api import imports
    from api.models import ImportBatch

    try:
        imports.batch_check_run(batch=ImportBatch.objects.get(pk=batch_id))
    except Exception:
        imports.batch_failed(batch_id)
        raise
    return True


@task()
def run_import(batch_id: int) -> bool:
    """Import a checked file, all rows or none, as the person who asked for it."""
    from api import imports
    from api.models import ImportBatch

    batch = ImportBatch.objects.select_related("imported_by").get(pk=batch_id)
    try:
        imports.batch_import(actor=batch.imported_by, batch=batch)
    except Exception:
        imports.batch_failed(batch_id)
        raise
    return True
