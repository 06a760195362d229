"""Reflection on practice: the caseworker's own page, a reflection on a conversation beside the
child's feedback, what others shared, practice videos with comments at moments, training."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.policy import child_for_request
from accounts.models import Role
from core.forms import add_service_errors
from feedback.models import FeedbackResponse
from reflection import forms, selectors, services
from reflection.access import (
    may_run_session,
    reflection_for,
    reflections_visible_to,
    session_for,
    sessions_visible_to,
    video_for,
    videos_visible_to,
)

# Who reflects, uploads practice videos and brings cases to the team.
REFLECTORS = (Role.CASEWORKER, Role.TEAM_LEADER)


def _reflector(request):
    if request.user.role not in REFLECTORS:
        raise PermissionDenied
    return request.user


@login_required
def home(request):
    """My reflections, what was shared with me, my videos and those I review, my training and
    my development over time."""
    user = request.user
    if user.role not in (*REFLECTORS, Role.CONSULTANT, Role.HEAD_OF_DEPARTMENT):
        raise PermissionDenied
    visible = reflections_visible_to(user).select_related("author", "conversation")
    training_form = forms.TrainingDayForm(request.POST or None)
    if request.method == "POST" and user.role in REFLECTORS and training_form.is_valid():
        try:
            services.training_day_add(actor=user, **training_form.cleaned_data)
        except ValidationError as error:
            add_service_errors(training_form, error)
        else:
            messages.success(request, _("The training day is recorded."))
            return redirect("reflection:home")
    return render(
        request,
        "reflection/home.html",
        {
            "mine": [r for r in visible if r.author_id == user.pk][:20],
            "shared": [r for r in visible if r.author_id != user.pk][:50],
            "videos": videos_visible_to(user).select_related("owner", "consultant")[:50],
            "training": user.training_days.all()[:20],
            "training_form": training_form,
            "development": selectors.development(user) if user.role in REFLECTORS else None,
            "team_development": selectors.team_development(user)
            if user.role == Role.TEAM_LEADER
            else None,
            "can_reflect": user.role in REFLECTORS,
        },
        status=400 if training_form.errors else 200,
    )


@login_required
def reflect(request, child_id, conversation_id):
    """My reflection on one conversation, with the child's own feedback on it beside."""
    child = child_for_request(request, child_id, record="reflection")
    actor = _reflector(request)
    conversation = get_object_or_404(child.conversations, pk=conversation_id)
    existing = conversation.reflections.filter(author=actor).first()
    form = forms.ReflectionForm(
        request.POST or None, instance=existing, municipality_id=actor.municipality_id
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.reflection_save(actor=actor, conversation=conversation, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your reflection is saved."))
            return redirect(
                "reflection:reflect", child_id=child.pk, conversation_id=conversation.pk
            )
    feedback = (
        FeedbackResponse.objects.filter(
            request__conversation=conversation, completed_at__isnull=False
        )
        .select_related("version__instrument")
        .prefetch_related("answers__item")
    )
    return render(
        request,
        "reflection/reflect.html",
        {"child": child, "conversation": conversation, "form": form, "feedback": feedback},
        status=400 if form.errors else 200,
    )


@login_required
def shared(request, reflection_id):
    """A reflection shared with me: the caseworker's words and what kind of conversation it
    was, never who the child is."""
    reflection = reflection_for(request.user, reflection_id)
    return render(request, "reflection/shared.html", {"reflection": reflection})


@login_required
def video_new(request):
    actor = _reflector(request)
    form = forms.VideoForm(
        request.POST or None, request.FILES or None, municipality_id=actor.municipality_id
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            video = services.video_upload(actor=actor, upload=data.pop("upload"), **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The video is uploaded and shared with the consultant."))
            return redirect("reflection:video", video_id=video.pk)
    return render(
        request, "reflection/video_new.html", {"form": form}, status=400 if form.errors else 200
    )


def _video_page(request, video, *, comment_form=None, status=200):
    comments = list(video.comments.filter(reply_to__isnull=True).select_related("author"))
    replies: dict[int, list] = {}
    for reply in video.comments.filter(reply_to__isnull=False).select_related("author"):
        replies.setdefault(reply.reply_to_id, []).append(reply)
    return render(
        request,
        "reflection/video.html",
        {
            "video": video,
            "threads": [(comment, replies.get(comment.pk, [])) for comment in comments],
            "comment_form": comment_form or forms.CommentForm(),
            "reply_form": forms.ReplyForm(),
            "withdraw_form": forms.WithdrawForm(),
            "is_owner": video.owner_id == request.user.pk,
        },
        status=status,
    )


@login_required
def video(request, video_id):
    found = video_for(request.user, video_id)
    if request.method == "POST":
        form = forms.CommentForm(request.POST)
        if form.is_valid():
            services.comment_add(
                actor=request.user,
                video=found,
                at_seconds=form.cleaned_data["moment"],
                text=form.cleaned_data["text"],
            )
            return redirect("reflection:video", video_id=found.pk)
        return _video_page(request, found, comment_form=form, status=400)
    return _video_page(request, found)


@login_required
@require_POST
def video_reply(request, video_id, comment_id):
    found = video_for(request.user, video_id)
    comment = get_object_or_404(found.comments, pk=comment_id)
    form = forms.ReplyForm(request.POST)
    if form.is_valid():
        services.comment_add(
            actor=request.user,
            video=found,
            at_seconds=comment.at_seconds,
            text=form.cleaned_data["text"],
            reply_to=comment,
        )
    else:
        messages.error(request, _("Write the reply."))
    return redirect("reflection:video", video_id=found.pk)


@login_required
@require_POST
def video_withdraw(request, video_id):
    found = video_for(request.user, video_id)
    form = forms.WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.video_withdraw_consent(
                actor=request.user, video=found, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("reflection:video", video_id=found.pk)
        messages.success(request, _("The video is taken down. No one can watch it any more."))
        return redirect("reflection:home")
    messages.error(request, _("Say why the video is taken down."))
    return redirect("reflection:video", video_id=found.pk)


RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
MAX_CHUNK = 8 * 1024 * 1024  # one answer to a range request; the player asks for the rest


@login_required
def video_stream(request, video_id):
    """The video for the page's player: inline, never cached, in byte ranges so the player can
    jump to a comment's moment. There is no download link (the player hides its own)."""
    found = video_for(request.user, video_id)
    handle = found.file.open("rb")
    size = found.size
    match = RANGE.match(request.headers.get("Range", ""))
    if match and (match.group(1) or match.group(2)):
        if match.group(1):
            start = int(match.group(1))
            end = min(int(match.group(2)), size - 1) if match.group(2) else size - 1
        else:
            start, end = max(size - int(match.group(2)), 0), size - 1
        if start > end or start >= size:
            handle.close()
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        end = min(end, start + MAX_CHUNK - 1)
        handle.seek(start)
        body = handle.read(end - start + 1)
        handle.close()
        response = HttpResponse(body, status=206, content_type=found.content_type)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    else:
        response = FileResponse(handle, content_type=found.content_type)
    response["Accept-Ranges"] = "bytes"
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def sessions(request):
    """The team's joint reflections: coming, held, and next steps waiting to be followed up."""
    user = request.user
    if user.role not in (Role.CASEWORKER, Role.TEAM_LEADER, Role.HEAD_OF_DEPARTMENT):
        raise PermissionDenied
    found = list(
        sessions_visible_to(user)
        .select_related("team", "presenter")
        .prefetch_related("participants")[:100]
    )
    return render(
        request,
        "reflection/sessions.html",
        {
            "sessions": found,
            "due": [session for session in found if session.follow_up_is_due()],
            "can_schedule": user.role in REFLECTORS and user.team_id is not None,
        },
    )


@login_required
def session_new(request):
    actor = request.user
    if actor.role not in REFLECTORS or actor.team_id is None:
        raise PermissionDenied
    form = forms.SessionScheduleForm(
        request.POST or None,
        team_id=actor.team_id,
        initial={"presenter": actor.pk} if actor.role == Role.CASEWORKER else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_schedule(actor=actor, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The joint reflection is scheduled."))
            return redirect("reflection:session", session_id=session.pk)
    return render(
        request, "reflection/session_new.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
def session(request, session_id):
    """One joint reflection: its four steps, who took part, what was decided, the follow-up."""
    found = session_for(request.user, session_id)
    may_write = may_run_session(request.user, found)
    form = forms.SessionRecordForm(
        request.POST if request.method == "POST" and may_write else None,
        instance=found,
        team_id=found.team_id,
    )
    if request.method == "POST":
        if not may_write:
            raise PermissionDenied
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.session_record(
                    actor=request.user,
                    session=found,
                    participants=list(data.pop("participants")),
                    **data,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("reflection:session", session_id=found.pk)
    return render(
        request,
        "reflection/session.html",
        {
            "session": found,
            "form": form,
            "may_write": may_write,
            "participants": list(found.participants.all()),
            "follow_up_form": forms.FollowUpForm(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def session_follow_up(request, session_id):
    found = session_for(request.user, session_id)
    form = forms.FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.session_follow_up(
                actor=request.user, session=found, note=form.cleaned_data["follow_up_note"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The follow-up is recorded."))
    else:
        messages.error(request, _("Write how the next steps went."))
    return redirect("reflection:session", session_id=found.pk)
