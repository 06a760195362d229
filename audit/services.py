"""Writing the access log. One short transaction per entry: lock the chain head, append, move
the head. A failure to write propagates, so no unlogged read gets through."""

from django.db import transaction
from django.utils import timezone

from audit.chain import GENESIS, HASHED_FIELDS, entry_hash
from audit.models import AccessAction, AccessBasis, AccessEvent, ChainHead


def _unit_of(user) -> str:
    team = getattr(user, "team", None) if getattr(user, "team_id", None) else None
    if team is not None:
        return team.name
    municipality = getattr(user, "municipality", None)
    return municipality.name if municipality else ""


def access_record(
    *,
    user,
    action: str,
    child=None,
    requested_child_id: int | None = None,
    record: str = "",
    basis: str = "",
    purpose: str = "",
    path: str = "",
    municipality=None,
) -> AccessEvent:
    """Append one entry to the access log. `municipality` files it under another municipality
    than the user's own (an operator's change to a municipality's user)."""
    return access_record_many(
        user=user,
        action=action,
        children=[child],
        requested_child_id=requested_child_id,
        record=record,
        basis=basis,
        purpose=purpose,
        path=path,
        municipality=municipality,
    )[0]


@transaction.atomic
def access_record_many(
    *,
    user,
    action: str,
    children,
    requested_child_id: int | None = None,
    record: str = "",
    basis: str = "",
    purpose: str = "",
    path: str = "",
    municipality=None,
) -> list[AccessEvent]:
    """Append one entry per child to the access log, in order, under one lock of the chain's
    head (a page of the API or a batch of an import touches hundreds of children at once)."""
    signed_in = getattr(user, "is_authenticated", False)
    if municipality is None:
        municipality = getattr(user, "municipality", None) if signed_in else None
    head, _created = ChainHead.objects.select_for_update().get_or_create(
        pk=1, defaults={"sequence": 0, "entry_hash": GENESIS}
    )
    shared = {
        "user": user if signed_in else None,
        "role": (getattr(user, "role", "") or "") if signed_in else "",
        "municipality_code": municipality.code if municipality else "",
        "unit": _unit_of(user)[:100] if signed_in else "",
        "action": action,
        "record": record[:100],
        "basis": basis,
        "purpose": purpose[:300],
        "path": path[:300],
    }
    events = []
    sequence, previous = head.sequence, head.entry_hash
    for child in children:
        sequence += 1
        event = AccessEvent(
            sequence=sequence,
            at=timezone.now(),
            child=child,
            requested_child_id=(
                requested_child_id if requested_child_id is not None else getattr(child, "pk", None)
            ),
            previous_hash=previous,
            **shared,
        )
        event.entry_hash = entry_hash(tuple(getattr(event, name) for name in HASHED_FIELDS))
        previous = event.entry_hash
        events.append(event)
    if not events:
        return events
    if len(events) == 1:
        events[0].save()
    else:
        AccessEvent.objects.bulk_create(events)
    head.sequence, head.entry_hash = sequence, previous
    head.save(update_fields=["sequence", "entry_hash"])
    return events


__all__ = ["AccessAction", "AccessBasis", "access_record", "access_record_many"]
