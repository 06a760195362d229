"""The child's portal (/me/): signing in with code and PIN, the child's home, "I need to talk",
and the child's own life book. Every page reads the child's own case through the access helper
(`own_child_for_portal`): the URLs hold no child id, and another child's entry is not found."""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.policy import own_child_for_portal
from accounts.models import Role
from accounts.signin import client_address, next_url, safe_url
from accounts.views import photo_response
from audit.models import AccessAction
from audit.services import access_record
from continuity.services import responsible_assignment
from core.files import private_download
from core.forms import add_service_errors
from feedback.views import answer_page
from lifebook import services as lifebook_services
from lifebook.forms import CommentForm, EntryForm
from lifebook.originals import originals_zip
from lifebook.views import (
    add_from_form,
    attachment_download,
    book_pdf_download,
    book_progress,
    photo_download,
    visible_entry_or_404,
)
from portal import mitid, selectors, services
from portal.forms import (
    CodeForm,
    ComplaintForm,
    NewPinForm,
    PinForm,
    PrepareForm,
    ResponseForm,
    TalkForm,
)

ENTRIES_SHOWN = 100  # the newest entries; the whole book prints as a PDF
EID_NEXT = "portal_eid_next"  # where to go after MitID, kept in the session meanwhile


def child_required(view):
    """Only a signed-in child reaches the portal's pages; others go to the portal's sign-in,
    and from there back to the page they asked for."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_authenticated and request.user.role == Role.CHILD):
            here = request.get_full_path()
            if here == reverse("portal:home"):
                return redirect("portal:login")
            return redirect(f"{reverse('portal:login')}?{urlencode({'next': here})}")
        return view(request, *args, **kwargs)

    return wrapper


def _signed_in(request, access, *, next_page: str, record: str = ""):
    """Sign the child in, log it, and go on to the page asked for (if it is on this site)."""
    login(request, access.user, backend="django.contrib.auth.backends.ModelBackend")
    # The portal's short idle time from the first moment (PortalSessionMiddleware keeps it).
    request.session.set_expiry(settings.STEMME_PORTAL_IDLE_MINUTES * 60)
    access_record(user=access.user, action=AccessAction.SIGN_IN, record=record, path=request.path)
    return redirect(next_url(request, next_page, fallback="portal:home"))


def sign_in(request):
    """Step one: the code (typed, or from the QR code's link). Step two: the PIN, or the first
    time, a new PIN chosen twice. Failures are logged and throttled in the services."""
    signed_in = request.user.is_authenticated and request.user.role == Role.CHILD
    if request.method == "GET" and signed_in:  # already in: on to the page asked for
        return redirect(next_url(request, fallback="portal:home"))
    code = request.POST.get("code") or request.GET.get("code") or ""
    step, form = "code", CodeForm(initial={"code": code})
    if request.method == "POST":
        address = client_address(request)
        if request.POST.get("step") == "code":
            form = CodeForm(request.POST)
            if form.is_valid():
                try:
                    access = services.find_access(form.cleaned_data["code"], address=address)
                except services.SignInRefused as refusal:
                    form.add_error("code", str(refusal))
                else:
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
                    access = services.sign_in(address=address, **form.cleaned_data)
                except services.SignInRefused as refusal:
                    form.add_error(None, str(refusal))
                else:
                    return _signed_in(request, access, next_page=request.POST.get("next", ""))
    return render(
        request,
        "portal/login.html",
        {
            "form": form,
            "step": step,
            "eid_offered": mitid.broker() is not None,
            "next": safe_url(request),
        },
    )


@require_POST
def sign_out(request):
    logout(request)
    messages.info(request, _("You are signed out. See you!"))
    return redirect("portal:login")


@child_required
def home(request):
    child = own_child_for_portal(request, record="portal_home")
    assignment = responsible_assignment(child)
    open_talks = list(child.talk_requests.filter(answered_at__isnull=True))
    return render(
        request,
        "portal/home.html",
        {
            "child": child,
            "caseworker": assignment.caseworker if assignment else None,
            "show_names": child.municipality.show_staff_names_to_child,
            "change": selectors.caseworker_change(child),
            "next_meeting": selectors.next_meeting(child),
            "feedback_waiting": selectors.feedback_open(child).count(),
            "open_talks": open_talks,
            # Said honestly: when the mail to the caseworker has not gone out, the child is told
            # so and given someone to call (the worker may be down; core.worker).
            "talk_not_delivered": any(talk.delivery_late() for talk in open_talks),
            "on_call_phone": child.municipality.on_call_phone,
            "helpline_name": settings.STEMME_CHILD_HELPLINE_NAME,
            "helpline_phone": settings.STEMME_CHILD_HELPLINE_PHONE,
            "is_adult": child.age() >= settings.STEMME_ADULT_AGE,
            "may_see_file": child.age() >= settings.STEMME_PARTY_AGE,
            # The person is told here when their file has been released to them.
            "file_ready": child.person_files.filter(by_the_person=True, status="released").exists(),
        },
    )


@child_required
def caseworker_photo(request):
    """The photo of the child's caseworker (or of the new one during a change)."""
    child = own_child_for_portal(request, record="portal_home")
    if request.GET.get("new"):
        change = selectors.caseworker_change(child)
        return photo_response(change.new_caseworker if change else None)
    assignment = responsible_assignment(child)
    return photo_response(assignment.caseworker if assignment else None)


@child_required
def meeting(request):
    """My next meeting: when and where, what I want to talk about, and who I want with me."""
    child = own_child_for_portal(request, record="portal_meeting")
    upcoming = selectors.next_meeting(child)
    preparation = getattr(upcoming, "child_preparation", None) if upcoming else None
    form = PrepareForm(
        request.POST or None,
        initial={"topics": preparation.topics, "bring": preparation.bring} if preparation else {},
    )
    if request.method == "POST" and upcoming is not None and form.is_valid():
        try:
            services.meeting_prepare(actor=request.user, conversation=upcoming, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved. Your caseworker can see it before the meeting."))
            return redirect("portal:meeting")
    return render(
        request,
        "portal/meeting.html",
        {
            "child": child,
            "meeting": upcoming,
            "form": form,
            "meetings_told": selectors.meetings_told(child),
        },
    )


@child_required
def feedback(request):
    child = own_child_for_portal(request, record="portal_feedback")
    return render(
        request,
        "portal/feedback.html",
        {
            "child": child,
            "waiting": list(selectors.feedback_open(child)),
            "given": selectors.feedback_given(child),
        },
    )


@child_required
def feedback_answer(request, request_id):
    """The feedback tool's questions, inside the portal."""
    child = own_child_for_portal(request, record="portal_feedback")
    feedback_request = selectors.feedback_for_child(child).filter(pk=request_id).first()
    if feedback_request is None:
        raise Http404
    return answer_page(
        request, feedback_request, reverse("portal:feedback_answer", args=[request_id])
    )


@child_required
def plan(request):
    """My plan and my decisions, as written for me; what I said and what was done; and my chance
    to say "I don't agree because ..."."""
    child = own_child_for_portal(request, record="portal_plan")
    responses = selectors.responses_by_subject(child)
    plans = selectors.plans_for_child(child)
    decisions = selectors.decisions_for_child(child)
    for item in plans:
        item.my_response = responses.get(("plan", item.pk))
    for item in decisions:
        item.my_response = responses.get(("decision", item.pk))
    return render(
        request,
        "portal/plan.html",
        {
            "child": child,
            "plans": plans,
            "decisions": decisions,
            "answers": selectors.you_said_we_did(child),
            "today": timezone.localdate(),
            "complaint_weeks": settings.STEMME_COMPLAINT_WEEKS,
        },
    )


@child_required
def respond(request, kind, subject_id):
    """ "I agree" or "I don't agree because ..." about one of my plans or decisions."""
    child = own_child_for_portal(request, record="portal_plan")
    choices = selectors.plans_for_child if kind == "plan" else selectors.decisions_for_child
    subject = next((item for item in choices(child) if item.pk == subject_id), None)
    if subject is None:
        raise Http404
    form = ResponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.child_respond(
                actor=request.user, child=child, **{kind: subject}, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you. Your caseworker will read it."))
            return redirect(f"{reverse('portal:plan')}#{kind}-{subject.pk}")
    return render(
        request,
        "portal/respond.html",
        {"child": child, "subject": subject, "kind": kind, "form": form},
    )


@child_required
def looked(request):
    """Who has looked at my case: the date, the role and team, and why."""
    child = own_child_for_portal(request, record="portal_looked")
    page = Paginator(selectors.looks_by_others(child), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/looked.html",
        {"child": child, "page": page, "show_names": child.municipality.show_staff_names_to_child},
    )


@child_required
def help_page(request):
    """How to complain (a party from 10, with the deadline) and who can help me."""
    child = own_child_for_portal(request, record="portal_help")
    today = timezone.localdate()
    open_to_complain = [
        decision
        for decision in selectors.decisions_for_child(child)
        if decision.complaint_open(today) and decision.replacement is None
    ]
    form = ComplaintForm(request.POST or None, decisions=open_to_complain)
    if request.method == "POST" and form.is_valid():
        decision = next(d for d in open_to_complain if d.pk == form.cleaned_data["decision"])
        try:
            services.complain(
                actor=request.user, child=child, decision=decision, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Your complaint is sent. The municipality looks at the decision again within "
                    "4 weeks. If they do not change it, the appeals board decides."
                ),
            )
            return redirect("portal:help")
    return render(
        request,
        "portal/help.html",
        {
            "child": child,
            "is_party": child.age() >= settings.STEMME_PARTY_AGE,
            "party_age": settings.STEMME_PARTY_AGE,
            "complaint_weeks": settings.STEMME_COMPLAINT_WEEKS,
            "open_to_complain": open_to_complain,
            "form": form,
            "bisidder_age": settings.STEMME_BISIDDER_MIN_AGE,
            "helpline_name": settings.STEMME_CHILD_HELPLINE_NAME,
            "helpline_phone": settings.STEMME_CHILD_HELPLINE_PHONE,
            "on_call_phone": child.municipality.on_call_phone,
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


def _adult_child(request, record: str):
    """The young adult's own case; the whole book is theirs to take from 18."""
    child = own_child_for_portal(request, record=record)
    if child.age() < settings.STEMME_ADULT_AGE:
        raise Http404
    return child


@child_required
def download(request):
    """From 18: my life book as a PDF (made in the background) and a zip of the originals."""
    child = _adult_child(request, "portal_download")
    if request.method == "POST":
        export = lifebook_services.book_request(child=child, requested_by=request.user)
        return redirect("portal:book_status", export_id=export.pk)
    exports = list(child.book_exports.filter(requested_by=request.user).order_by("-created_at")[:5])
    return render(request, "portal/download.html", {"child": child, "exports": exports})


@child_required
def book_status(request, export_id):
    child = _adult_child(request, "portal_download")
    exports = child.book_exports.filter(pk=export_id, requested_by=request.user)
    return book_progress(request, child, exports, "portal/book_status.html", portal=True)


@child_required
def book_download(request, export_id):
    child = _adult_child(request, "portal_download")
    return book_pdf_download(
        request, child, child.book_exports.filter(pk=export_id, requested_by=request.user)
    )


@child_required
def originals(request):
    child = _adult_child(request, "portal_download")
    return private_download(
        request,
        child=child,
        record="lifebook_originals",
        action=AccessAction.EXPORT,
        content=originals_zip(request.user, child),
        name=f"livsbog-originaler-{timezone.localdate():%Y-%m-%d}.zip",
        as_attachment=True,
    )


def eid_start(request):
    """Sign in with MitID through the municipality's identity broker (when it is offered)."""
    eid = mitid.broker()
    if eid is None:
        raise Http404
    request.session[EID_NEXT] = safe_url(request)
    return redirect(eid.start(request))


def eid_standin(request):
    """The local stand-in for the identity broker (development and tests only)."""
    if settings.STEMME_MITID_BROKER != "standin":
        raise Http404
    state = request.GET.get("state") or request.POST.get("state", "")
    if request.method == "POST":
        return redirect(mitid.StandInBroker.answer_url(state, request.POST.get("cpr", "")))
    return render(request, "portal/eid_standin.html", {"state": state})


def eid_callback(request):
    eid = mitid.broker()
    if eid is None:
        raise Http404
    try:
        access = services.sign_in_with_eid(eid.finish(request))
    except mitid.BrokerRefused:
        messages.error(request, _("The sign-in with MitID did not work. Try again."))
        return redirect("portal:login")
    except services.SignInRefused as refusal:
        access_record(
            user=request.user,
            action=AccessAction.SIGN_IN_FAILED,
            record="portal_eid",
            path=request.path,
        )
        messages.error(request, str(refusal))
        return redirect("portal:login")
    return _signed_in(
        request, access, next_page=request.session.pop(EID_NEXT, ""), record="portal_eid"
    )
