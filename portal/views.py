"""The child's portal (/me/): signing in with code and PIN, the child's home, "I need to talk",
and the child's own life book. Every page reads the child's own case through the access helper
(`own_child_for_portal`): the URLs hold no child id, and another child's entry is not found."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.policy import own_child_for_portal
from accounts.models import Role
from audit.models import AccessAction
from audit.services import access_record
from continuity.services import responsible_assignment
from conversations.models import Conversation, ConversationStatus
from core.forms import add_service_errors
from lifebook import services as lifebook_services
from lifebook.forms import CommentForm, EntryForm
from lifebook.views import (
    add_from_form,
    attachment_download,
    photo_download,
    visible_entry_or_404,
)
from portal import services
from portal.forms import CodeForm, NewPinForm, PinForm, TalkForm

ENTRIES_SHOWN = 100  # the newest entries; the whole book prints as a PDF


def child_required(view):
    """Only a signed-in child reaches the portal's pages; others go to the portal's sign-in."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_authenticated and request.user.role == Role.CHILD):
            return redirect("portal:login")
        return view(request, *args, **kwargs)

    return wrapper


def sign_in(request):
    """Step one: the code (typed, or from the QR code's link). Step two: the PIN, or the first
    time, a new PIN chosen twice."""
    code = request.POST.get("code") or request.GET.get("code") or ""
    step, form = "code", CodeForm(initial={"code": code})
    if request.method == "POST":
        access = None
        if request.POST.get("step") == "code":
            form = CodeForm(request.POST)
            if form.is_valid():
                access = services.find_access(form.cleaned_data["code"])
                if access is None:
                    form.add_error("code", _("The code is not right. Check it and try again."))
                else:
                    step = "pin" if access.has_pin else "new_pin"
                    form = (PinForm if access.has_pin else NewPinForm)(initial={"code": code})
        else:
            step = request.POST.get("step") if request.POST.get("step") == "new_pin" else "pin"
            form = (NewPinForm if step == "new_pin" else PinForm)(request.POST)
            if form.is_valid():
                try:
                    access = services.sign_in(**form.cleaned_data)
                except services.SignInRefused as refusal:
                    form.add_error(None, str(refusal))
                    access_record(
                        user=request.user,
                        action=AccessAction.SIGN_IN_FAILED,
                        record="portal",
                        path=request.path,
                    )
                else:
                    login(request, access.user, backend="django.contrib.auth.backends.ModelBackend")
                    access_record(user=access.user, action=AccessAction.SIGN_IN, path=request.path)
                    return redirect("portal:home")
    return render(request, "portal/login.html", {"form": form, "step": step})


@require_POST
def sign_out(request):
    logout(request)
    messages.info(request, _("You are signed out. See you!"))
    return redirect("portal:login")


@child_required
def home(request):
    child = own_child_for_portal(request, record="portal_home")
    assignment = responsible_assignment(child)
    next_meeting = (
        Conversation.objects.filter(
            child=child, status=ConversationStatus.PLANNED, planned_at__gte=timezone.now()
        )
        .order_by("planned_at")
        .first()
    )
    return render(
        request,
        "portal/home.html",
        {
            "child": child,
            "caseworker": assignment.caseworker if assignment else None,
            "show_names": child.municipality.show_staff_names_to_child,
            "next_meeting": next_meeting,
            "open_talks": child.talk_requests.filter(answered_at__isnull=True).count(),
        },
    )


@child_required
def talk(request):
    """One button on every page: it reaches the caseworker at once, and says honestly what
    happens next and when."""
    child = own_child_for_portal(request, record="portal_talk")
    form = TalkForm(request.POST or None)
    sent = None
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.talk_request(
                actor=request.user,
                child=child,
                kind=request.POST.get("kind", ""),
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
    working = services.is_working_hours()
    return render(
        request,
        "portal/talk.html",
        {
            "child": child,
            "form": form,
            "sent": sent,
            "working_hours": working,
            "on_call_phone": child.municipality.on_call_phone,
            "helpline_name": settings.STEMME_CHILD_HELPLINE_NAME,
            "helpline_phone": settings.STEMME_CHILD_HELPLINE_PHONE,
        },
    )


@child_required
def lifebook(request):
    child = own_child_for_portal(request, record="portal_lifebook")
    entries = lifebook_services.with_media(
        lifebook_services.entries_visible_to(request.user, child)
    )
    if request.GET.get("favourites"):
        entries = entries.filter(favourite=True)
    return render(
        request,
        "portal/lifebook.html",
        {
            "child": child,
            "entries": list(entries[:ENTRIES_SHOWN]),
            "favourites": request.GET.get("favourites"),
        },
    )


@child_required
def lifebook_add(request):
    child = own_child_for_portal(request, record="portal_lifebook")
    form = EntryForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and add_from_form(request, child, form):
        messages.success(request, _("It is in your life book now."))
        return redirect("portal:lifebook")
    return render(request, "portal/lifebook_add.html", {"child": child, "form": form})


@child_required
def lifebook_mark(request, entry_id):
    """The child marks an entry as a favourite, or hides it from everyone else."""
    child = own_child_for_portal(request, record="portal_lifebook")
    entry = visible_entry_or_404(request, child, entry_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    mark = request.POST.get("mark")
    if mark in ("favourite", "unfavourite"):
        lifebook_services.entry_mark(actor=request.user, entry=entry, favourite=mark == "favourite")
    elif mark in ("hide", "show"):
        lifebook_services.entry_mark(actor=request.user, entry=entry, hidden=mark == "hide")
        messages.success(
            request,
            _("Hidden. Only you and your caseworker can see it now.")
            if mark == "hide"
            else _("Everyone who helps with your book can see it again."),
        )
    return redirect(f"{reverse('portal:lifebook')}#entry-{entry.pk}")


@child_required
def lifebook_comment(request, entry_id):
    child = own_child_for_portal(request, record="portal_lifebook")
    entry = visible_entry_or_404(request, child, entry_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = CommentForm(request.POST)
    if form.is_valid():
        lifebook_services.comment_add(
            actor=request.user, entry=entry, text=form.cleaned_data["text"]
        )
        messages.success(request, _("Your comment is added."))
    else:
        messages.error(request, _("Write something first."))
    return redirect(f"{reverse('portal:lifebook')}#entry-{entry.pk}")


@child_required
def lifebook_file(request, kind, file_id):
    """A photo, video, sound or document of the child's own book."""
    child = own_child_for_portal(request, record="portal_lifebook_file")
    if kind == "photo":
        return photo_download(request, child, file_id)
    return attachment_download(request, child, file_id)
