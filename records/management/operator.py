"""What the records app's operator commands share: who acts, and the child they act on."""

from django.core.management.base import CommandError

from accounts.models import User
from cases.models import Child


def actor_and_child(username: str, child_id: int, what: str = "child") -> tuple[User, Child]:
    """The active user and a child of their municipality, or a CommandError saying which is
    missing."""
    actor = User.objects.filter(username=username, is_active=True).first()
    if actor is None:
        raise CommandError(f"No active user {username}.")
    child = Child.objects.filter(pk=child_id, municipality_id=actor.municipality_id).first()
    if child is None:
        raise CommandError(f"No {what} {child_id} with a case in {username}'s municipality.")
    return actor, child
