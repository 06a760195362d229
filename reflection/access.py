"""The one place that decides who sees a reflection, a practice video or a team's joint
reflection. A reflection is its
author's; a team leader sees it only when the author shares it with them (and leads the
author's team), a consultant only when it is shared with that consultant. A video is private to
its owner and the consultant it is shared with — not even the team leader sees it — and a
removed video (consent withdrawn) is seen by no one. Everyone else is answered as if it did not
exist (404)."""

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import Role
from reflection.models import PracticeVideo, Reflection, TeamSession


def reflections_visible_to(user) -> QuerySet[Reflection]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Reflection.objects.none()
    visible = Q(author=user) | Q(shared_with=user)
    if user.role == Role.TEAM_LEADER and user.team_id:
        visible |= Q(shared_with_leader=True, author__team_id=user.team_id)
    return Reflection.objects.filter(visible, author__municipality_id=user.municipality_id)


def videos_visible_to(user) -> QuerySet[PracticeVideo]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return PracticeVideo.objects.none()
    return PracticeVideo.objects.filter(
        Q(owner=user) | Q(consultant=user), owner__municipality_id=user.municipality_id
    )


def sessions_visible_to(user) -> QuerySet[TeamSession]:
    """A team's joint reflections are for the team (told without names); the head of
    department sees every team's."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return TeamSession.objects.none()
    in_municipality = TeamSession.objects.filter(team__municipality_id=user.municipality_id)
    if user.role == Role.HEAD_OF_DEPARTMENT:
        return in_municipality
    if user.role in (Role.CASEWORKER, Role.TEAM_LEADER) and user.team_id:
        return in_municipality.filter(team_id=user.team_id)
    return TeamSession.objects.none()


def session_for(user, session_id) -> TeamSession:
    found = (
        sessions_visible_to(user)
        .filter(pk=session_id)
        .select_related("team", "presenter", "facilitator")
        .first()
    )
    if found is None:
        raise Http404("No such session.")
    return found


def may_run_session(user, session: TeamSession) -> bool:
    """The team leader who facilitates it, and the caseworker who brings the case, write it."""
    return user.pk in (session.facilitator_id, session.presenter_id) or (
        user.role == Role.TEAM_LEADER and user.team_id == session.team_id
    )


def video_for(user, video_id) -> PracticeVideo:
    video = (
        videos_visible_to(user).filter(pk=video_id).select_related("owner", "consultant").first()
    )
    if video is None:
        raise Http404("No such video.")
    return video


def reflection_for(user, reflection_id) -> Reflection:
    found = (
        reflections_visible_to(user)
        .filter(pk=reflection_id)
        .select_related("author", "conversation__child")
        .first()
    )
    if found is None:
        raise Http404("No such reflection.")
    return found
