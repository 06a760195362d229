"""The child answers (no sign-in: a single-use link, or the caseworker's locked screen); the
caseworker asks, sees the trend and acknowledges alerts; leaders see the team numbers."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from access.policy import child_for_request
from accounts.models import Role
from accounts.signin import password_confirms
from audit.models import AccessAction
from audit.services import access_record
from core.forms import add_service_errors, whole_number
from feedback import forms, selectors, services
from feedback.models import Channel, FeedbackAlert, FeedbackResponse, Scale

SCREEN_SESSION_KEY = "feedback_screen_token"
LEADERS = {Role.TEAM_LEADER, Role.HEAD_OF_DEPARTMENT}


def _base_template(request) -> str | None:
    """In the child's portal the questions sit inside the portal's pages."""
    return "portal/base.html" if getattr(request.user, "role", "") == Role.CHILD else None


def _message(request, title: str, text: str, status: int):
    return render(
        request,
        "feedback/child_message.html",
        {
            "title": title,
            "text": text,
            "on_screen": SCREEN_SESSION_KEY in request.session,
            "base_template": _base_template(request),
        },
        status=status,
    )


def answer(request, token):
    """The child answers through a single-use link (or the caseworker's locked screen)."""
    feedback_request = services.request_for_token(token)
    if feedback_request is None:
        return _message(
            request,
            _("This link does not work"),
            _("Ask the person who gave you the link for a new one."),
            404,
        )
    return answer_page(request, feedback_request, reverse("feedback:answer", args=[token]))


def posted_answer(post) -> tuple[str, int | None]:
    """What the child pressed on a question page: ("decline" | "skip", None) or ("answer",
    value); anything else is refused with a message the child understands. Shared by the
    feedback tool and the children's survey."""
    action = post.get("action", "answer")
    if action in ("decline", "skip"):
        return action, None
    value = whole_number(post.get("value", ""), digits=2)
    if value is None:
        raise ValidationError(_("Choose one of the answers on the screen."))
    return "answer", value


def answer_page(request, feedback_request, here: str):
    """One question at a time, each answer saved at once: a phone that dies loses nothing.
    Shared by the link and the child's portal (`here` is the page's own address)."""
    response = FeedbackResponse.objects.filter(request=feedback_request).first()
    if response is not None and response.is_complete:
        return _message(
            request, _("Thank you!"), _("Your answer has been sent. You are done."), 200
        )
    if feedback_request.is_expired:
        return _message(
            request,
            _("This link is too old"),
            _("Links only work for a short time. Ask for a new one."),
            410,
        )
    response = services.response_for(feedback_request)
    items = list(feedback_request.version.items.all())
    error = ""
    if request.method == "POST":
        try:
            action, value = posted_answer(request.POST)
            if action == "decline":
                services.decline(response=response)
                return redirect(here)
            item = next((i for i in items if str(i.pk) == request.POST.get("item")), None)
            if item is None:
                raise ValidationError(_("Choose one of the answers on the screen."))
            services.answer_item(response=response, item=item, value=value)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            return redirect(here)
    answered = set(response.answers.values_list("item_id", flat=True))
    remaining = [item for item in items if item.pk not in answered]
    if not remaining:
        services.complete(response=response)
        return redirect(here)
    item = remaining[0]
    values = range(1, 6) if response.scale == Scale.FACES else range(0, 11)
    return render(
        request,
        "feedback/question.html",
        {
            "item": item,
            "number": len(answered) + 1,
            "total": len(items),
            "scale": response.scale,
            "values": values,
            "error": error,
            "on_screen": SCREEN_SESSION_KEY in request.session,
            "base_template": _base_template(request),
        },
        status=400 if error else 200,
    )


@login_required
def ask(request, child_id):
    """Ask the child (or someone in the network) for feedback: a link and QR code for their
    phone, or the locked screen handed over."""
    child = child_for_request(request, child_id, record="feedback")
    initial = {"channel": Channel.LINK}
    if (conversation := whole_number(request.GET.get("conversation", ""))) is not None:
        initial["conversation"] = conversation
    form = forms.AskForm(request.POST or None, initial=initial, child=child)
    if request.method == "POST" and form.is_valid():
        try:
            feedback_request, token = services.feedback_request_create(
                actor=request.user, child=child, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if feedback_request.channel == Channel.SCREEN:
                request.session[SCREEN_SESSION_KEY] = token
                request.session["feedback_screen_child"] = child.pk
                return redirect("feedback:answer", token=token)
            url = request.build_absolute_uri(reverse("feedback:answer", args=[token]))
            return render(
                request,
                "feedback/link.html",
                {
                    "child": child,
                    "url": url,
                    "qr_svg": segno.make(url, error="m").svg_inline(
                        scale=5, title=_("QR code to the questions")
                    ),
                    "feedback_request": feedback_request,
                },
            )
    return render(request, "feedback/ask.html", {"child": child, "form": form})


def unlock(request):
    """Take the screen back from the child: only with the caseworker's password, checked as a
    sign-in (wrong ones count towards the account's lockout, and are logged)."""
    token = request.session.get(SCREEN_SESSION_KEY)
    if token is None or not request.user.is_authenticated:
        return redirect("core:home")
    form = forms.UnlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if password_confirms(request, form.cleaned_data["password"]):
            child_id = request.session.pop("feedback_screen_child", None)
            request.session.pop(SCREEN_SESSION_KEY, None)
            messages.success(request, _("The screen is yours again."))
            return redirect("cases:child", child_id=child_id) if child_id else redirect("core:home")
        form.add_error("password", _("The password is wrong."))
        access_record(
            user=request.user,
            action=AccessAction.SIGN_IN_FAILED,
            record="feedback screen unlock",
            path=request.path,
        )
    return render(request, "feedback/unlock.html", {"form": form, "token": token})


@login_required
def acknowledge_alert(request, child_id, alert_id):
    child = child_for_request(request, child_id, record="feedback_alert")
    alert = FeedbackAlert.objects.filter(pk=alert_id, child=child).first()
    if alert is None:
        raise Http404
    form = forms.AcknowledgeAlertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.alert_acknowledge(
                actor=request.user, alert=alert, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The alert is acknowledged."))
            return redirect("cases:child", child_id=child.pk)
    return render(
        request, "feedback/acknowledge.html", {"child": child, "alert": alert, "form": form}
    )


@login_required
def team_numbers(request):
    user = request.user
    if user.role not in LEADERS or user.municipality_id is None:
        raise Http404
    access_record(user=user, action=AccessAction.VIEW, record="feedback_team", path=request.path)
    return render(request, "feedback/team.html", {"rows": selectors.team_numbers(user)})
