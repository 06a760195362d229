"""The caseworker's start page, the child's page and the case's course."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.policy import child_for_request, children_visible_to, may_manage_caseworkers
from accounts.models import Role
from audit.services import AccessAction, access_record
from cases import forms, selectors, services
from cases.models import Assessment, Child, ConcernReport, Decision, FollowUp, Measure
from continuity.selectors import caseload, caseworker_count
from conversations.models import Conversation
from conversations.rules import due_conversations, due_within
from core.forms import add_service_errors
from core.history import changes_for_child
from core.services import record_remove
from feedback import selectors as feedback_selectors
from feedback.models import FeedbackAlert
from lifebook.services import contributors_behind
from plans.rules import plans_due
from plans.selectors import open_wishes
from portal import selectors as portal_selectors
from portal.models import TalkKind, TalkRequest

STAFF_WHO_REGISTER = {Role.CASEWORKER, Role.TEAM_LEADER, Role.HEAD_OF_DEPARTMENT}
CONVERSATIONS_ON_CHILD_PAGE = 10


@login_required
def start(request):
    """My children, what is due, and my caseload."""
    user = request.user
    children = selectors.my_children(user, children_visible_to(user))
    query = request.GET.get("q", "").strip()[:100]
    shown = children
    if query:
        shown = children.filter(
            Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(preferred_name__icontains=query)
        )
    access_record(user=user, action=AccessAction.VIEW, record="child_list", path=request.path)
    context = {"children": list(shown), "query": query}
    if request.headers.get("HX-Request"):
        return render(request, "cases/_child_list.html", context)
    threshold = user.municipality.effective_caseload_threshold() if user.municipality else 0
    names = {
        pk: f"{preferred or first} {last}"
        for pk, preferred, first, last in children.values_list(
            "pk", "preferred_name", "first_name", "last_name"
        )
    }
    conversations_due = due_within(
        due_conversations(names.keys()), settings.STEMME_DUE_HORIZON_DAYS
    )
    for item in conversations_due:
        item.child_name = names[item.child_id]
    alerts = list(
        FeedbackAlert.objects.filter(child_id__in=names.keys(), acknowledged_at__isnull=True)
        .order_by("created_at")
        .values("pk", "child_id", "kind", "created_at")
    )
    for alert in alerts:
        alert["child_name"] = names[alert["child_id"]]
    talks = list(
        TalkRequest.objects.filter(child_id__in=names.keys(), answered_at__isnull=True).order_by(
            "created_at"
        )
    )
    for talk in talks:
        talk.child_name = names[talk.child_id]
        talk.unsafe = talk.kind == TalkKind.UNSAFE
    behind = contributors_behind(names.keys())
    for item in behind:
        item.child_name = names[item.child_id]
    context.update(
        {
            "contributors_behind": behind,
            "talk_requests": talks,
            "feedback_alerts": alerts,
            "conversations_due": conversations_due,
            "due": selectors.due_for(children),
            "handovers": list(selectors.handovers_involving(user)),
            "caseload": caseload(user),
            "caseload_threshold": threshold,
            "may_register": user.role in STAFF_WHO_REGISTER,
        }
    )
    return render(request, "cases/start.html", context)


@login_required
def find_child(request):
    """Find a child of the own municipality by CPR number. A child one is not assigned to
    opens only with a stated reason (break-glass); another municipality's child is not found."""
    user = request.user
    if user.role not in STAFF_WHO_REGISTER or user.municipality is None:
        raise Http404
    form = forms.FindChildForm(request.GET or None)
    not_found = False
    if form.is_valid():
        child = Child.objects.filter(
            municipality_id=user.municipality_id, cpr=form.cleaned_data["cpr"]
        ).first()
        access_record(
            user=user,
            action=AccessAction.SEARCH,
            requested_child_id=child.pk if child else None,
            record="find_by_cpr",
            path=request.path,
        )
        if child is not None:
            return redirect("cases:child", child_id=child.pk)
        not_found = True
    return render(request, "cases/find.html", {"form": form, "not_found": not_found})


@login_required
def child_create(request):
    user = request.user
    if user.role not in STAFF_WHO_REGISTER or user.municipality is None:
        raise Http404
    form = forms.ChildCreateForm(request.POST or None, municipality=user.municipality)
    if request.method == "POST" and form.is_valid():
        try:
            child = services.child_create(
                actor=user, municipality=user.municipality, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The child is registered."))
            return redirect("cases:child", child_id=child.pk)
    return render(request, "cases/child_form.html", {"form": form})


@login_required
def child_detail(request, child_id):
    child = child_for_request(request, child_id, record="child")
    context = selectors.child_page_data(child)
    conversations = Conversation.objects.filter(child=child).order_by("-planned_at")
    portal = portal_selectors.portal_status(child)
    context.update(
        {
            "child": child,
            "conversations": list(conversations[:CONVERSATIONS_ON_CHILD_PAGE]),
            "conversation_count": conversations.count(),
            "conversations_due": due_conversations([child.pk]).get(child.pk, []),
            "trend": feedback_selectors.trend(child),
            "open_wishes": list(open_wishes(child)),
            "plans": list(child.plans.all()),
            "lifebook_count": child.lifebook_entries.count(),
            "lifebook_waiting": child.lifebook_entries.filter(approved_at__isnull=True).count(),
            "contributors_behind": contributors_behind([child.pk]),
            "plans_due": plans_due([child.pk]).get(child.pk, []),
            "complaints": list(child.complaints.all()),
            "feedback_alerts": list(
                FeedbackAlert.objects.filter(child=child, acknowledged_at__isnull=True)
            ),
            "caseworker_count": caseworker_count(child),
            "talk_requests": list(child.talk_requests.filter(answered_at__isnull=True)),
            "portal_access": portal.access,
            "portal_trouble": portal,
            "may_manage_caseworkers": may_manage_caseworkers(request.user, child),
        }
    )
    return render(request, "cases/child_detail.html", context)


@login_required
def child_history(request, child_id):
    child = child_for_request(request, child_id, record="history")
    return render(
        request, "cases/child_history.html", {"child": child, "changes": changes_for_child(child)}
    )


@login_required
def network_add(request, child_id):
    child = child_for_request(request, child_id, record="network")
    form = forms.NetworkMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.network_member_add(actor=request.user, child=child, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The person is added to the network."))
            return redirect("cases:child", child_id=child.pk)
    return render(
        request,
        "cases/entry_form.html",
        {"child": child, "form": form, "title": _("Add a person to the network")},
    )


@login_required
def network_edit(request, child_id, member_id):
    child = child_for_request(request, child_id, record="network")
    member = child.network.filter(pk=member_id).first()
    if member is None:
        raise Http404
    form = forms.NetworkMemberForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.network_member_update(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("cases:child", child_id=child.pk)
    return render(
        request,
        "cases/entry_form.html",
        {"child": child, "form": form, "title": member.name, "remove_url_name": "network"},
    )


# The entries of the case's course: (form, add service, model, title).
COURSE = {
    "concern_report": (
        forms.ConcernReportForm,
        services.concern_report_add,
        ConcernReport,
        gettext_lazy("Report of concern"),
    ),
    "assessment": (
        forms.AssessmentForm,
        services.assessment_add,
        Assessment,
        gettext_lazy("Assessment"),
    ),
    "measure": (forms.MeasureForm, services.measure_add, Measure, gettext_lazy("Measure")),
    "decision": (forms.DecisionForm, services.decision_add, Decision, gettext_lazy("Decision")),
    "follow_up": (forms.FollowUpForm, services.follow_up_add, FollowUp, gettext_lazy("Follow-up")),
}


def _course_form(kind, child, data=None, instance=None):
    form_class = COURSE[kind][0]
    extra = {"child": child} if form_class is forms.DecisionForm else {}
    return form_class(data, instance=instance, **extra)


@login_required
def course_entry(request, child_id, kind, entry_id=None):
    """Add an entry to the case's course, or change one."""
    child = child_for_request(request, child_id, record=f"course:{kind}")
    if kind not in COURSE:
        raise Http404
    _form_class, add, model, title = COURSE[kind]
    entry = None
    if entry_id is not None:
        entry = model.objects.filter(pk=entry_id, case__child=child).first()
        if entry is None:
            raise Http404
    if isinstance(entry, Decision) and entry.is_final and request.method != "POST":
        # A final decision is corrected on its own page, by a decision that replaces it.
        messages.info(request, _("A final decision is not changed. Correct it here instead."))
        return redirect("plans:decision", child_id=child.pk, decision_id=entry.pk)
    form = _course_form(kind, child, request.POST or None, entry)
    if request.method == "POST" and form.is_valid():
        try:
            if entry is None:
                add(actor=request.user, child=child, **form.cleaned_data)
            else:
                services.course_entry_update(actor=request.user, entry=entry, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("cases:child", child_id=child.pk)
    return render(
        request,
        "cases/entry_form.html",
        {"child": child, "form": form, "title": title, "entry": entry, "kind": kind},
    )


@login_required
def record_removal(request, child_id, kind, entry_id):
    """Remove a network member or a course entry: kept, with who, when and why."""
    child = child_for_request(request, child_id, record=f"remove:{kind}")
    if kind == "network":
        entry = child.network.filter(pk=entry_id).first()
    elif kind in COURSE:
        entry = COURSE[kind][2].objects.filter(pk=entry_id, case__child=child).first()
    else:
        entry = None
    if entry is None:
        raise Http404
    form = forms.RemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if kind == "network":
                record_remove(record=entry, actor=request.user, reason=form.cleaned_data["reason"])
            else:
                services.course_entry_remove(
                    actor=request.user, entry=entry, reason=form.cleaned_data["reason"]
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Removed. It is kept in the history."))
            return redirect("cases:child", child_id=child.pk)
    return render(request, "cases/remove_form.html", {"child": child, "form": form, "entry": entry})


@login_required
def case_close(request, child_id):
    child = child_for_request(request, child_id, record="case")
    form = forms.CaseCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_close(actor=request.user, child=child, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The case is closed."))
            return redirect("cases:child", child_id=child.pk)
    return render(
        request,
        "cases/entry_form.html",
        {"child": child, "form": form, "title": _("Close the case")},
    )
