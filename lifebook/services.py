"""Writes for the life book, and who is behind with their contributions."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.db import transaction
from django.db.models import Max, Prefetch, Q
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from accounts.models import Role, User
from cases.models import ContributorLink
from core.services import save_recorded
from core.uploads import clean_file, clean_image, thumbnail_of
from lifebook.models import Attachment, BookExport, Comment, Entry, Photo


def entries_visible_to(user, child):
    """The entries of a child's book this user may see. Staff keep the whole record (and see
    what is sealed or hidden, marked as such); the child sees approved entries (their hidden
    ones too) but nothing sealed until they are old enough; a contributor sees approved entries
    and their own, never one sealed or hidden by the child."""
    entries = Entry.objects.filter(child=child)
    if user.role == Role.CHILD:
        entries = entries.filter(approved_at__isnull=False).exclude(
            sealed_until_age__gt=child.age()
        )
    if user.role == Role.CONTRIBUTOR:
        entries = entries.filter(Q(approved_at__isnull=False) | Q(author=user)).exclude(
            Q(sealed_until_age__gt=child.age()) | Q(hidden_by_child=True)
        )
    return entries


def with_media(entries):
    """Entries ready for a timeline: author, photos, files and comments in four queries, however
    many entries there are."""
    return entries.select_related("author").prefetch_related(
        "photos", "attachments", Prefetch("comments", Comment.objects.select_related("author"))
    )


def _upload_errors(photo, attachment):
    """Check both files before anything is written: one bad file refuses the whole entry."""
    errors, clean_photo, clean_attachment = {}, None, None
    if photo:
        try:
            clean_photo = clean_image(photo)
        except ValidationError as error:
            errors["photo"] = error.messages
    if attachment:
        try:
            clean_attachment = clean_file(attachment)
        except ValidationError as error:
            errors["attachment"] = error.messages
    if errors:
        if clean_attachment is not None:
            clean_attachment.close()
        raise ValidationError(errors)
    return clean_photo, clean_attachment


@transaction.atomic
def entry_add(*, actor, child, photo=None, attachment=None, **fields) -> Entry:
    """Add an entry with a photo (cleaned of all metadata) and a video, sound or document
    (checked from its content). Staff entries are visible at once; external contributors'
    entries wait for the caseworker's approval, and only staff can seal an entry. Nothing is
    half-stored: a file that cannot be used refuses the whole entry."""
    if fields.get("happened_on") and fields["happened_on"] > timezone.localdate():
        raise ValidationError({"happened_on": _("An entry cannot be about the future.")})
    # Staff entries and the child's own are visible at once; only staff seal entries.
    is_staff = actor.role != Role.CONTRIBUTOR
    if actor.role in (Role.CONTRIBUTOR, Role.CHILD):
        fields.pop("sealed_until_age", None)
    clean_photo, clean_attachment = _upload_errors(photo, attachment)
    role = actor.role
    if actor.role == Role.CONTRIBUTOR:
        link = child.contributor_links.current().filter(user=actor).first()
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
    if clean_photo is not None:
        record = Photo(entry=entry)
        extension = clean_photo.name.rsplit(".", 1)[1]
        record.image.save(f"photo-{entry.pk}.{extension}", clean_photo, save=False)
        record.thumbnail.save(f"thumb-{entry.pk}.jpg", thumbnail_of(clean_photo), save=False)
        save_recorded(record, actor=actor, validate=False)
    if clean_attachment is not None:
        try:
            record = Attachment(
                entry=entry,
                kind=clean_attachment.kind,
                content_type=clean_attachment.content_type,
                size=clean_attachment.size,
                name=_display_name(attachment.name, clean_attachment.extension),
            )
            record.file.save(
                f"{clean_attachment.kind}-{entry.pk}.{clean_attachment.extension}",
                clean_attachment.file,
                save=False,
            )
            save_recorded(record, actor=actor, validate=False)
        finally:
            clean_attachment.close()
    return entry


def _display_name(uploaded: str, extension: str) -> str:
    """The name the contributor gave the file, without any folder, with the real extension."""
    try:
        stem = get_valid_filename(uploaded.rsplit("/", 1)[-1].rsplit(".", 1)[0])[:100]
    except SuspiciousFileOperation:
        stem = "fil"
    return f"{stem}.{extension}"


@transaction.atomic
def comment_add(*, actor, entry: Entry, text: str) -> Comment:
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write a comment first.")})
    return save_recorded(Comment(entry=entry, author=actor, text=text), actor=actor)


@transaction.atomic
def entry_mark(*, actor, entry: Entry, favourite=None, hidden=None) -> Entry:
    """The child's own controls: mark an entry as a favourite, or hide it from others."""
    if favourite is not None:
        entry.favourite = favourite
    if hidden is not None:
        entry.hidden_by_child = hidden
    return save_recorded(entry, actor=actor, validate=False)


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
        ContributorLink.objects.current().filter(child_id__in=child_ids).select_related("user")
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
def contributor_link(
    *, actor, child, user, role: str, placement=None, started_on=None
) -> ContributorLink:
    """Link an external contributor to one child, optionally for one placement (the link ends
    when the placement ends)."""
    if user.role != Role.CONTRIBUTOR or user.municipality_id != child.municipality_id:
        raise ValidationError({"user": _("Choose a contributor of the child's municipality.")})
    if not user.is_active:
        raise ValidationError({"user": _("This contributor's account is deactivated.")})
    if child.contributor_links.current().filter(user=user).exists():
        raise ValidationError({"user": _("This contributor is already linked to the child.")})
    if placement is not None and (placement.case.child_id != child.pk or not placement.is_current):
        raise ValidationError({"placement": _("Choose one of the child's current placements.")})
    return save_recorded(
        ContributorLink(
            child=child,
            user=user,
            role=role,
            placement=placement,
            started_on=started_on or timezone.localdate(),
        ),
        actor=actor,
    )


@transaction.atomic
def contributor_invite(
    *, actor, child, first_name: str, last_name: str, email: str, role: str, placement=None
) -> ContributorLink:
    """Invite a new contributor (a foster carer, a contact person, a teacher) by e-mail and link
    them to the child. They choose their own password from the invitation; someone who already
    contributes in the municipality is linked instead of getting a second account."""
    email = User.objects.normalize_email(email).strip()
    user = User.objects.filter(email__iexact=email).first()
    if user is not None and (
        user.role != Role.CONTRIBUTOR or user.municipality_id != child.municipality_id
    ):
        raise ValidationError(
            {"email": _("This e-mail belongs to another account. Ask the administrator.")}
        )
    if user is None:
        user = User(
            username=email.lower(),
            email=email,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            role=Role.CONTRIBUTOR,
            municipality_id=child.municipality_id,
        )
        user.set_unusable_password()
        user._change_reason = f"invited by {actor.pk}"
        user.save()
    link = contributor_link(actor=actor, child=child, user=user, role=role, placement=placement)
    if not user.has_usable_password():
        from lifebook.tasks import send_contributor_invitation

        transaction.on_commit(lambda: send_contributor_invitation.enqueue(user.pk))
    return link


def contributor_reinvite(*, actor, link: ContributorLink) -> None:
    """Send the invitation again to a contributor who has not chosen a password yet."""
    if not link.is_current or link.user.has_usable_password():
        raise ValidationError(_("This contributor has already signed up, or the link has ended."))
    from lifebook.tasks import send_contributor_invitation

    send_contributor_invitation.enqueue(link.user_id)


@transaction.atomic
def contributor_unlink(*, actor, link: ContributorLink, ended_on=None) -> ContributorLink:
    """End a contributor's link (for example when a placement ends): their access ends with it,
    and everything they added stays in the child's book."""
    if not link.is_current:
        raise ValidationError(_("This link has already ended."))
    ended_on = ended_on or timezone.localdate()
    if ended_on < link.started_on:
        raise ValidationError({"ended_on": _("A link cannot end before it started.")})
    link.ended_on = ended_on
    return save_recorded(link, actor=actor)


def book_request(*, child, requested_by, date_from=None, date_to=None) -> BookExport:
    """Ask for the book as a PDF (all of it, or a period); the task worker makes it."""
    from lifebook.tasks import render_book_task

    export = BookExport.objects.create(
        child=child, requested_by=requested_by, date_from=date_from, date_to=date_to
    )
    render_book_task.enqueue(export.pk)
    return export
