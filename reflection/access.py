"""The one place that decides who sees a reflection or a practice video. A reflection is its
author's; a team leader sees it only when the author shares it with them (and leads the
author's team), a consultant only when it is shared with that consultant. A video is private to
its owner and the consultant it is shared with — not even the team leader sees it — and a
removed video (consent withdrawn) is seen by no one. Everyone else is answered as if it did not
exist (404)."""

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import Role
from reflection.models import PracticeVideo, Reflection


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
