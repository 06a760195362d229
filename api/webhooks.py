"""Outgoing notifications to the case system: a decision was made final, a conversation was
documented. Each event is a small, signed pointer (which record, which child by the case
system's id); the case system then reads the record through the API, access-checked and logged.

Deliveries are written in the same transaction as the change they announce, so none is lost,
and sent by the database worker after it commits, retried with exponential backoff. A delivery
that gives up stays visible to the administrators (the admin's webhook deliveries)."""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from api.models import DeliveryState, Webhook, WebhookDelivery

DECISION_FINAL = "decision.final"
CONVERSATION_DOCUMENTED = "conversation.documented"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The value of the Stemme-Signature header: HMAC-SHA256 of "timestamp.body"."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def notify(event: str, *, child, record_id: int) -> list[WebhookDelivery]:
    """Announce an event about one of the child's records to every active webhook of the
    child's municipality; sent once the surrounding transaction commits."""
    hooks = Webhook.objects.filter(
        disabled_at__isnull=True,
        client__revoked_at__isnull=True,
        client__municipality_id=child.municipality_id,
    )
    deliveries = []
    for hook in hooks:
        event_id = uuid.uuid4()
        deliveries.append(
            WebhookDelivery.objects.create(
                webhook=hook,
                event_id=event_id,
                event=event,
                child=child,
                payload={
                    "id": str(event_id),
                    "type": event,
                    "occurred_at": timezone.now().isoformat(),
                    "data": {"id": record_id, "child_external_id": child.external_id},
                },
                next_attempt_at=timezone.now(),
            )
        )
    if deliveries:
        from api.tasks import deliver_webhook

        ids = [delivery.pk for delivery in deliveries]
        transaction.on_commit(lambda: [deliver_webhook.enqueue(pk) for pk in ids])
    return deliveries


def backoff(attempts: int) -> timedelta:
    """Wait 1, 2, 4, 8 … minutes after the 1st, 2nd, 3rd, 4th … failed attempt."""
    return timedelta(minutes=2 ** max(attempts - 1, 0))


def attempt(delivery: WebhookDelivery) -> bool:
    """Send the delivery once and record the outcome; True when the case system took it."""
    body = json.dumps(delivery.payload, sort_keys=True).encode()
    now = int(time.time())
    request = urllib.request.Request(  # noqa: S310 - the administrator's own https/http address
        delivery.webhook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Stemme-Webhook/1",
            "Stemme-Event": delivery.event,
            "Stemme-Delivery": str(delivery.event_id),
            "Stemme-Signature": signature(delivery.webhook.secret, now, body),
        },
    )
    delivery.attempts += 1
    delivery.last_attempt_at = timezone.now()
    delivery.last_status = None
    delivery.last_error = ""
    try:
        with urllib.request.urlopen(  # noqa: S310
            request, timeout=settings.STEMME_WEBHOOK_TIMEOUT_SECONDS
        ) as response:
            delivery.last_status = response.status
    except urllib.error.HTTPError as refused:
        delivery.last_status = refused.code
        delivery.last_error = f"HTTP {refused.code}"
    except (OSError, ValueError) as failed:
        delivery.last_error = str(failed)[:300] or failed.__class__.__name__
    delivered = delivery.last_status is not None and 200 <= delivery.last_status < 300
    if delivered:
        delivery.state = DeliveryState.DELIVERED
        delivery.delivered_at = timezone.now()
        delivery.next_attempt_at = None
    elif delivery.attempts >= settings.STEMME_WEBHOOK_ATTEMPTS:
        delivery.state = DeliveryState.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.next_attempt_at = timezone.now() + backoff(delivery.attempts)
    delivery.save()
    return delivered


def delivery_retry(*, delivery: WebhookDelivery) -> None:
    """Send a failed delivery again from the start (the administrator's retry)."""
    from api.tasks import deliver_webhook

    delivery.state = DeliveryState.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["state", "attempts", "next_attempt_at"])
    transaction.on_commit(lambda: deliver_webhook.enqueue(delivery.pk))
