"""Plan, prepare, hold, document and summarise a conversation with the child."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from access.policy import child_for_request
from audit.models import AccessAction
from cases.forms import RemoveForm
from conversations import forms, services
from conversations.models import Conversation, ConversationKind, Tool
from conversations.readability import lix_limit
from conversations.tools import tools_for_age
from conversations.visibility import statement_filter
from core import law
from core.files import private_download
from core.forms import add_service_errors, whole_number
from core.services import record_remove

LINKS = {"decision": "decision", "concern_report": "concern_report", "measure": "measure"}


def _conversation(child, conversation_id) -> Conversation:
    conversation = (
        Conversation.objects.filter(pk=conversation_id, child=child)
        .select_related(
            "second_caseworker",
            "bisidder",
            "bisidder_exclusion_decided_by",
            "decision",
            "concern_report",
            "measure",
        )
        .first()
    )
    if conversation is None:
        raise Http404
    conversation.child = child
    return conversation


@login_required
def plan(request, child_id):
    child = child_for_request(request, child_id, record="conversation")
    initial = {"place": "", "planned_at": None}
    kind = request.GET.get("kind", "")
    if kind in ConversationKind.values:
        initial["kind"] = kind
    for name in LINKS:
        if (linked := whole_number(request.GET.get(name, ""))) is not None:
            initial[name] = linked
    form = forms.PrepareForm(request.POST or None, initial=initial, child=child, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            conversation = services.conversation_plan(
                actor=request.user, child=child, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The conversation is planned."))
            return redirect(
                "conversations:detail", child_id=child.pk, conversation_id=conversation.pk
            )
    return render(request, "conversations/prepare.html", {"child": child, "form": form})


@login_required
def prepare(request, child_id, conversation_id):
    child = child_for_request(request, child_id, record="conversation")
    conversation = _conversation(child, conversation_id)
    form = forms.PrepareForm(
        request.POST or None, instance=conversation, child=child, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.conversation_prepare(
                actor=request.user, conversation=conversation, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(
                "conversations:detail", child_id=child.pk, conversation_id=conversation.pk
            )
    return render(
        request,
        "conversations/prepare.html",
        {"child": child, "form": form, "conversation": conversation},
    )


def _detail(request, child, conversation, status=200, **bound):
    age = conversation.child_age_at()
    tools = tools_for_age(age)
    tool_forms = {
        tool: bound.get(f"tool_{tool}") or forms.tool_form_class(tool)(prefix=tool)
        for tool in tools
    }
    statements = conversation.statements.filter(statement_filter(request.user, child))
    return render(
        request,
        "conversations/detail.html",
        {
            "child": child,
            "conversation": conversation,
            "age": age,
            "tool_forms": [(tool, Tool(tool).label, form) for tool, form in tool_forms.items()],
            "tool_records": list(conversation.tools.all()),
            "statements": list(statements),
            "wishes": list(conversation.wishes.all()),
            "held_form": bound.get("held")
            or forms.HeldForm(
                instance=conversation,
                initial={"held_at": conversation.held_at or conversation.planned_at},
                prefix="held",
            ),
            "not_held_form": bound.get("not_held") or forms.NotHeldForm(prefix="not_held"),
            "bisidder_told_form": bound.get("bisidder_told")
            or forms.BisidderToldForm(
                prefix="bisidder_told",
                initial={
                    "told_on": conversation.bisidder_right_told_on,
                    "how": conversation.bisidder_right_told_how,
                },
            ),
            "bisidder_excluded_form": bound.get("bisidder_excluded")
            or forms.BisidderExclusionForm(
                prefix="bisidder_excluded",
                initial={
                    "ground": conversation.bisidder_exclusion_ground,
                    "extent": conversation.bisidder_exclusion_extent,
                    "part": conversation.bisidder_exclusion_part,
                    "reason": conversation.bisidder_exclusion_reason,
                    "decided_on": conversation.bisidder_exclusion_decided_on,
                },
            ),
            "bisidder_right_reference": law.BISIDDER_RIGHT,
            "statement_form": bound.get("statement") or forms.StatementForm(prefix="statement"),
            "wish_form": bound.get("wish") or forms.WishForm(prefix="wish"),
            "summary_form": bound.get("summary")
            or forms.SummaryForm(
                initial={"summary_to_child": conversation.summary_to_child}, prefix="summary"
            ),
            "lix_limit": lix_limit(age),
            "is_observation": Tool.OBSERVATION in tools,
        },
        status=status,
    )


@login_required
def detail(request, child_id, conversation_id):
    child = child_for_request(request, child_id, record="conversation")
    return _detail(request, child, _conversation(child, conversation_id))


def _post(request, child_id, conversation_id, key, form, action):
    """Validate one of the detail page's forms, run its service, or show the page with errors
    (and everything typed kept)."""
    child = child_for_request(request, child_id, record="conversation")
    conversation = _conversation(child, conversation_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = form(conversation)
    if form.is_valid():
        try:
            action(conversation, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(
                "conversations:detail", child_id=child.pk, conversation_id=conversation.pk
            )
    return _detail(request, child, conversation, status=200, **{key: form})


@login_required
def mark_held(request, child_id, conversation_id):
    return _post(
        request,
        child_id,
        conversation_id,
        "held",
        lambda c: forms.HeldForm(request.POST, instance=c, prefix="held"),
        lambda c, data: services.conversation_mark_held(actor=request.user, conversation=c, **data),
    )


@login_required
def mark_not_held(request, child_id, conversation_id):
    return _post(
        request,
        child_id,
        conversation_id,
        "not_held",
        lambda c: forms.NotHeldForm(request.POST, prefix="not_held"),
        lambda c, data: services.conversation_mark_not_held(
            actor=request.user, conversation=c, **data
        ),
    )


@login_required
def bisidder_told(request, child_id, conversation_id):
    return _post(
        request,
        child_id,
        conversation_id,
        "bisidder_told",
        lambda c: forms.BisidderToldForm(request.POST, prefix="bisidder_told"),
        lambda c, data: services.conversation_bisidder_right_told(
            actor=request.user, conversation=c, **data
        ),
    )


@login_required
def bisidder_excluded(request, child_id, conversation_id):
    return _post(
        request,
        child_id,
        conversation_id,
        "bisidder_excluded",
        lambda c: forms.BisidderExclusionForm(request.POST, prefix="bisidder_excluded"),
        lambda c, data: services.conversation_bisidder_excluded(
            actor=request.user, conversation=c, **data
        ),
    )


@login_required
def add_tool(request, child_id, conversation_id, tool):
    if tool not in Tool.values:
        raise Http404
    return _post(
        request,
        child_id,
        conversation_id,
        f"tool_{tool}",
        lambda c: forms.tool_form_class(tool)(request.POST, request.FILES, prefix=tool),
        lambda c, data: services.tool_record_add(
            actor=request.user, conversation=c, tool=tool, **data
        ),
    )


@login_required
def add_statement(request, child_id, conversation_id):
    return _post(
        request,
        child_id,
        conversation_id,
        "statement",
        lambda c: forms.StatementForm(request.POST, prefix="statement"),
        lambda c, data: services.statement_add(actor=request.user, conversation=c, **data),
    )


@login_required
def add_wish(request, child_id, conversation_id):
    return _post(
        request,
        child_id,
        conversation_id,
        "wish",
        lambda c: forms.WishForm(request.POST, prefix="wish"),
        lambda c, data: services.wish_add(actor=request.user, conversation=c, **data),
    )


@login_required
def save_summary(request, child_id, conversation_id):
    return _post(
        request,
        child_id,
        conversation_id,
        "summary",
        lambda c: forms.SummaryForm(request.POST, prefix="summary"),
        lambda c, data: services.summary_save(
            actor=request.user,
            conversation=c,
            text=data["summary_to_child"],
            accept_hard_text=data["accept_hard_text"],
        ),
    )


REMOVABLE = {"statement": "statements", "wish": "wishes", "tool": "tools"}


@login_required
def remove(request, child_id, conversation_id, part, entry_id):
    child = child_for_request(request, child_id, record="conversation")
    conversation = _conversation(child, conversation_id)
    if part not in REMOVABLE:
        raise Http404
    entry = getattr(conversation, REMOVABLE[part]).filter(pk=entry_id).first()
    if entry is None:
        raise Http404
    form = RemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record_remove(record=entry, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Removed. It is kept in the history."))
            return redirect(
                "conversations:detail", child_id=child.pk, conversation_id=conversation.pk
            )
    return render(request, "cases/remove_form.html", {"child": child, "form": form, "entry": entry})


@login_required
def calendar_invitation(request, child_id, conversation_id):
    """An .ics invitation for the meeting. It names no child: calendars are not case files."""
    child = child_for_request(request, child_id, record="conversation_ics")
    conversation = _conversation(child, conversation_id)
    calendar = Calendar()
    calendar.add("prodid", "-//Stemme//Samtale//DA")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"conversation-{conversation.pk}@stemme")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", conversation.planned_at)
    event.add("dtend", conversation.planned_at + timezone.timedelta(hours=1))
    event.add("summary", str(conversation.get_kind_display()))
    event.add("location", conversation.place)
    calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="samtale-{conversation.pk}.ics"'
    return response


@login_required
def drawing(request, child_id, conversation_id, tool_id):
    """The child's drawing, only through the access helper (never a public media address)."""
    child = child_for_request(request, child_id, record="drawing")
    conversation = _conversation(child, conversation_id)
    record = conversation.tools.filter(pk=tool_id, tool=Tool.DRAWING).first()
    if record is None or not record.drawing:
        raise Http404
    return private_download(
        request,
        child=child,
        record=f"drawing:{record.pk}",
        action=AccessAction.DOWNLOAD,
        content=record.drawing.open("rb"),
        name=record.drawing.name,
    )
