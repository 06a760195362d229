"""Writing the access log. A failure to write propagates: no unlogged read gets through."""

from audit.models import AccessAction, AccessEvent


def access_record(
    *,
    user,
    action: str,
    child=None,
    requested_child_id: int | None = None,
    record: str = "",
    purpose: str = "",
    path: str = "",
) -> AccessEvent:
    """Append one entry to the access log."""
    municipality = getattr(user, "municipality", None)
    return AccessEvent.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        role=getattr(user, "role", "") or "",
        municipality_code=municipality.code if municipality else "",
        child=child,
        requested_child_id=requested_child_id
        if requested_child_id is not None
        else (child.pk if child is not None else None),
        action=action,
        record=record[:100],
        purpose=purpose[:300],
        path=path[:300],
    )


__all__ = ["AccessAction", "access_record"]
