"""Writes for the life book, and who is behind with their contributions."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from cases.models import ContributorLink
from core.images import reencode_image, thumbnail_of
from core.services import save_recorded
from lifebook.models import Entry, Photo


@transaction.atomic
def entry_add(*, actor, child, photo=None, **fields) -> Entry:
    """Add an entry (and its photo, cleaned of all metadata). Staff entries are visible at once;
    external contributors' entries wait for the caseworker's approval. Nothing is half-stored:
    a photo that cannot be read refuses the whole entry."""
    if fields.get("happened_on") and fields["happened_on"] > timezone.localdate():
        raise ValidationError({"happened_on": _("An entry cannot be about the future.")})
    clean = reencode_image(photo) if photo else None
    is_staff = actor.role != Role.CONTRIBUTOR
    role = actor.role
    if not is_staff:
        link = child.contributor_links.filter(user=actor, ended_on__isnull=True).first()
        role = link.role if link else role
    entry = save_recorded(
        Entry(
            child=child,
            author=actor,
            author_role=role,
            approved_at=timezone.now() if is_staff else None,
            approved_by=actor if is_staff else None,
            **fields,
        ),
        actor=actor,
    )
    if clean is not None:
        record = Photo(entry=entry)
        record.image.save(f"photo-{entry.pk}.{clean.name.rsplit('.', 1)[1]}", clean, save=False)
        record.thumbnail.save(f"thumb-{entry.pk}.jpg", thumbnail_of(clean), save=False)
        save_recorded(record, actor=actor, validate=False)
    return entry


@transaction.atomic
def entry_approve(*, actor, entry: Entry) -> Entry:
    if entry.is_approved:
        raise ValidationError(_("The entry is already approved."))
    entry.approved_at = timezone.now()
    entry.approved_by = actor
    return save_recorded(entry, actor=actor, validate=False)


@dataclass
class Behind:
    link: ContributorLink
    last_entry: date | None
    due_on: date

    @property
    def child_id(self) -> int:
        return self.link.child_id

    @property
    def contributor(self):
        return self.link.user

    @property
    def role(self) -> str:
        return self.link.role

    @property
    def days_behind(self) -> int:
        return (timezone.localdate() - self.due_on).days


def contributors_behind(child_ids) -> list[Behind]:
    """Linked contributors whose next entry is overdue by their role's cadence."""
    today = timezone.localdate()
    links = list(
        ContributorLink.objects.filter(
            child_id__in=child_ids, ended_on__isnull=True
        ).select_related("user")
    )
    last = {
        (row["child_id"], row["author_id"]): row["last"]
        for row in Entry.objects.filter(child_id__in=child_ids)
        .values("child_id", "author_id")
        .annotate(last=Max("created_at"))
    }
    behind = []
    for link in links:
        days = settings.STEMME_LIFEBOOK_CADENCE_DAYS.get(link.role, 0)
        if not days:
            continue
        latest = last.get((link.child_id, link.user_id))
        since = timezone.localtime(latest).date() if latest else link.started_on
        due_on = since + timedelta(days=days)
        if due_on < today:
            behind.append(Behind(link, since if latest else None, due_on))
    return sorted(behind, key=lambda b: b.due_on)


@transaction.atomic
def contributor_link(*, actor, child, user, role: str, started_on=None) -> ContributorLink:
    """Link an external contributor (an account the administrator created) to one child."""
    if user.role != Role.CONTRIBUTOR or user.municipality_id != child.municipality_id:
        raise ValidationError({"user": _("Choose a contributor of the child's municipality.")})
    if not user.is_active:
        raise ValidationError({"user": _("This contributor's account is deactivated.")})
    if child.contributor_links.filter(user=user, ended_on__isnull=True).exists():
        raise ValidationError({"user": _("This contributor is already linked to the child.")})
    return save_recorded(
        ContributorLink(
            child=child, user=user, role=role, started_on=started_on or timezone.localdate()
        ),
        actor=actor,
    )


@transaction.atomic
def contributor_unlink(*, actor, link: ContributorLink, ended_on=None) -> ContributorLink:
    """End a contributor's link (for example when a placement ends): their access ends with it,
    and everything they added stays in the child's book."""
    if link.ended_on is not None:
        raise ValidationError(_("This link has already ended."))
    ended_on = ended_on or timezone.localdate()
    if ended_on < link.started_on:
        raise ValidationError({"ended_on": _("A link cannot end before it started.")})
    link.ended_on = ended_on
    return save_recorded(link, actor=actor)
