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


@transaction.atomic
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
) -> AccessEvent:
    """Append one entry to the access log."""
    signed_in = getattr(user, "is_authenticated", False)
    municipality = getattr(user, "municipality", None) if signed_in else None
    head, _created = ChainHead.objects.select_for_update().get_or_create(
        pk=1, defaults={"sequence": 0, "entry_hash": GENESIS}
    )
    event = AccessEvent(
        sequence=head.sequence + 1,
        at=timezone.now(),
        user=user if signed_in else None,
        role=(getattr(user, "role", "") or "") if signed_in else "",
        municipality_code=municipality.code if municipality else "",
        unit=_unit_of(user)[:100] if signed_in else "",
        child=child,
        requested_child_id=(
            requested_child_id if requested_child_id is not None else getattr(child, "pk", None)
        ),
        action=action,
        record=record[:100],
        basis=basis,
        purpose=purpose[:300],
        path=path[:300],
        previous_hash=head.entry_hash,
    )
    event.entry_hash = entry_hash(tuple(getattr(event, name) for name in HASHED_FIELDS))
    event.save()
    head.sequence = event.sequence
    head.entry_hash = event.entry_hash
    head.save(update_fields=["sequence", "entry_hash"])
    return event


__all__ = ["AccessAction", "AccessBasis", "access_record"]
