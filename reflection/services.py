"""Writes of reflection on practice. Each is one transaction and keeps who and when."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from cases.cpr import contains_cpr
from core.services import record_remove, save_recorded
from core.uploads import MediaKind, clean_file
from reflection.models import (
    PracticeVideo,
    Reflection,
    TeamSession,
    TrainingDay,
    VideoComment,
    VideoKind,
)

PROMPTS = ("went_well", "childs_perspective", "differently", "next_time")


def _check_consultant(owner, consultant) -> None:
    if consultant is None:
        return
    if (
        consultant.role != Role.CONSULTANT
        or consultant.municipality_id != owner.municipality_id
        or not consultant.is_active
    ):
        raise ValidationError(
            {"shared_with": _("Choose a consultant who supports your municipality.")}
        )


@transaction.atomic
def reflection_save(*, actor, conversation, shared_with=None, shared_with_leader=False, **answers):
    """The caseworker's own reflection on a conversation they took part in (one each)."""
    if conversation.child.municipality_id != actor.municipality_id:
        raise PermissionDenied
    if not any((answers.get(name) or "").strip() for name in PROMPTS):
        raise ValidationError(_("Answer at least one of the questions."))
    _check_consultant(actor, shared_with)
    reflection = Reflection.objects.filter(
        conversation=conversation, author=actor
    ).first() or Reflection(conversation=conversation, author=actor)
    for name in PROMPTS:
        setattr(reflection, name, (answers.get(name) or "").strip())
    reflection.shared_with = shared_with
    reflection.shared_with_leader = shared_with_leader
    return save_recorded(reflection, actor=actor)


@transaction.atomic
def video_upload(
    *,
    actor,
    upload,
    title: str,
    kind: str,
    consultant,
    child_consent_on=None,
    custody_consent_on=None,
    consent_note: str = "",
) -> PracticeVideo:
    """Store a practice video for the consultant to comment on. A real conversation needs the
    consent of the child and the custody holders first; the file is checked from its content
    and stored without the place it was filmed or any other metadata (core.uploads)."""
    if kind == VideoKind.REAL and not (
        child_consent_on and custody_consent_on and consent_note.strip()
    ):
        raise ValidationError(
            _(
                "A real conversation may be filmed only with the consent of the child and of the "
                "custody holders: record both dates and how consent was given."
            )
        )
    if consultant is None:
        raise ValidationError({"consultant": _("Choose the consultant who will comment.")})
    _check_consultant(actor, consultant)
    media = clean_file(upload, kinds=(MediaKind.VIDEO,))
    try:
        video = PracticeVideo(
            owner=actor,
            consultant=consultant,
            title=title.strip(),
            kind=kind,
            child_consent_on=child_consent_on if kind == VideoKind.REAL else None,
            custody_consent_on=custody_consent_on if kind == VideoKind.REAL else None,
            consent_note=consent_note.strip() if kind == VideoKind.REAL else "",
            content_type=media.content_type,
            size=media.size,
        )
        video.file.save(f"video.{media.extension}", media.file, save=False)
        return save_recorded(video, actor=actor)
    finally:
        media.close()


@transaction.atomic
def video_withdraw_consent(*, actor, video: PracticeVideo, reason: str) -> PracticeVideo:
    """Consent withdrawn (or the owner takes it down): removed from everyone's view, kept."""
    if video.owner_id != actor.pk:
        raise PermissionDenied
    return record_remove(record=video, actor=actor, reason=reason)


@transaction.atomic
def comment_add(
    *, actor, video: PracticeVideo, at_seconds: int, text: str, reply_to=None
) -> VideoComment:
    """A comment at a moment of the video; a reply keeps the moment of what it answers."""
    if actor.pk not in (video.owner_id, video.consultant_id):
        raise PermissionDenied
    if not (text or "").strip():
        raise ValidationError({"text": _("Write the comment.")})
    if reply_to is not None:
        if reply_to.video_id != video.pk:
            raise ValidationError(_("Reply to a comment on this video."))
        at_seconds = reply_to.at_seconds
    return save_recorded(
        VideoComment(
            video=video, author=actor, at_seconds=at_seconds, text=text.strip(), reply_to=reply_to
        ),
        actor=actor,
    )


@transaction.atomic
def training_day_add(*, actor, held_on, theme: str, title: str) -> TrainingDay:
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("Record a training day once it has been held.")})
    return save_recorded(
        TrainingDay(attendee=actor, held_on=held_on, theme=theme, title=title.strip()), actor=actor
    )


SESSION_TEXTS = ("presentation", "questions", "reflections", "next_steps", "decided")


def _check_anonymised(fields: dict) -> None:
    for name in SESSION_TEXTS:
        if contains_cpr(fields.get(name) or ""):  # the forms' CPR rule, in running text
            raise ValidationError(
                {name: _("Remove the CPR number: the case is told without who it is about.")}
            )


@transaction.atomic
def session_schedule(*, actor, scheduled_at, presenter, presentation: str) -> TeamSession:
    """A joint reflection on a case: the team leader schedules it for a case one of the team
    brings, or a caseworker takes their own case to the team (the team leader leads it)."""
    if actor.role not in (Role.TEAM_LEADER, Role.CASEWORKER) or actor.team_id is None:
        raise PermissionDenied
    if actor.role == Role.CASEWORKER and presenter != actor:
        raise ValidationError({"presenter": _("Bring your own case to the team.")})
    if presenter.team_id != actor.team_id or not presenter.is_active:
        raise ValidationError({"presenter": _("Choose a caseworker of your team.")})
    _check_anonymised({"presentation": presentation})
    leader = (
        actor
        if actor.role == Role.TEAM_LEADER
        else User.objects.filter(team_id=actor.team_id, role=Role.TEAM_LEADER, is_active=True)
        .order_by("pk")
        .first()
    )
    return save_recorded(
        TeamSession(
            team_id=actor.team_id,
            scheduled_at=scheduled_at,
            presenter=presenter,
            facilitator=leader or actor,
            presentation=presentation.strip(),
        ),
        actor=actor,
    )


@transaction.atomic
def session_record(*, actor, session: TeamSession, participants, **fields) -> TeamSession:
    """Write down the session's steps, who took part, what was decided, and when the next
    steps are followed up."""
    from reflection.access import may_run_session

    if not may_run_session(actor, session):
        raise PermissionDenied
    _check_anonymised(fields)
    if any(p.team_id != session.team_id for p in participants):
        raise ValidationError({"participants": _("Only the team's own members take part.")})
    if fields.get("next_steps", "").strip() and not fields.get("follow_up_on"):
        raise ValidationError({"follow_up_on": _("Choose when the next steps are followed up.")})
    for name, value in fields.items():
        setattr(session, name, value.strip() if isinstance(value, str) else value)
    save_recorded(session, actor=actor)
    session.participants.set(participants)
    return session


@transaction.atomic
def session_follow_up(*, actor, session: TeamSession, note: str) -> TeamSession:
    from reflection.access import may_run_session

    if not may_run_session(actor, session):
        raise PermissionDenied
    if not session.next_steps:
        raise ValidationError(_("The session named no next steps to follow up."))
    if not (note or "").strip():
        raise ValidationError({"follow_up_note": _("Write how the next steps went.")})
    _check_anonymised({"decided": note})
    session.follow_up_note = note.strip()
    session.followed_up_at = timezone.now()
    return save_recorded(session, actor=actor)
