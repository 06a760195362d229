"""Who has looked at a child's case, and the leader's search of the access log."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from access.policy import child_for_request
from accounts.models import Role
from audit import selectors
from audit.forms import AuditSearchForm
from audit.models import AccessAction
from audit.services import access_record
from cases.models import Child

LEADERS = {Role.TEAM_LEADER, Role.HEAD_OF_DEPARTMENT}


@login_required
def who_has_looked(request, child_id):
    child = child_for_request(request, child_id, record="who_has_looked")
    page = Paginator(selectors.looks_at(child), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/who_has_looked.html",
        {"child": child, "page": page, "show_names": child.municipality.show_staff_names_to_child},
    )


@login_required
def audit_log(request):
    """Search the access log; unusual patterns of the last 30 days stand out at the top."""
    user = request.user
    if user.role not in LEADERS or user.municipality_id is None:
        raise Http404
    # Logged first: the page counted below then includes this look too.
    access_record(user=user, action=AccessAction.VIEW, record="audit_log", path=request.path)
    form = AuditSearchForm(request.GET or None, leader=user)
    events = None
    if form.is_valid():
        data = form.cleaned_data
        child = None
        if data["cpr"]:
            child = Child.all_objects.filter(
                municipality_id=user.municipality_id, cpr=data["cpr"]
            ).first()
        if data["cpr"] and child is None:
            events = selectors.search(user).none()
        else:
            events = selectors.search(
                user,
                child=child,
                actor=data["actor"],
                date_from=data["date_from"],
                date_to=data["date_to"],
                action=data["action"],
            )
    if events is None:
        events = selectors.search(user)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/log.html",
        {
            "form": form,
            "page": page,
            "patterns": selectors.unusual_patterns(user),
            "query": query.urlencode(),
        },
    )
