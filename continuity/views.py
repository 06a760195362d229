"""The team leader's page and the handover flow."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from access.policy import child_for_request, children_visible_to, may_manage_caseworkers
from accounts.models import Role, Team, User
from audit.services import AccessAction, access_record
from cases.models import Child
from continuity import forms, services
from continuity.models import AssignmentKind, CaseworkerAssignment, Handover, HandoverStatus
from continuity.selectors import caseworker_counts_for_children, caseworkers_with_caseload
from core.forms import add_service_errors
from lifebook.services import contributors_behind
from plans.selectors import complaints_per_caseworker

LEADERS = {Role.TEAM_LEADER, Role.HEAD_OF_DEPARTMENT}


def _team_for(request) -> tuple[Team | None, list[Team]]:
    user = request.user
    if user.role == Role.HEAD_OF_DEPARTMENT:
        teams = list(Team.objects.filter(municipality_id=user.municipality_id))
        wanted = request.GET.get("team", "")
        chosen = next((t for t in teams if str(t.pk) == wanted), teams[0] if teams else None)
        return chosen, teams
    return user.team, [user.team] if user.team else []


@login_required
def team(request):
    """Caseloads and continuity across the team, and handovers under way."""
    user = request.user
    if user.role not in LEADERS or user.municipality_id is None:
        raise Http404
    chosen, teams = _team_for(request)
    members = list(
        caseworkers_with_caseload(
            User.objects.filter(municipality_id=user.municipality_id, team=chosen)
        )
    )
    current = list(
        CaseworkerAssignment.objects.filter(
            caseworker__in=[m.pk for m in members],
            kind=AssignmentKind.RESPONSIBLE,
            ended_at__isnull=True,
        ).values_list("caseworker_id", "child_id")
    )
    counts = caseworker_counts_for_children([child_id for _cw, child_id in current])
    per_caseworker = defaultdict(list)
    for caseworker_id, child_id in current:
        per_caseworker[caseworker_id].append(counts.get(child_id, 1))
    threshold = user.municipality.effective_caseload_threshold()
    complaints = complaints_per_caseworker([m.pk for m in members])
    for member in members:
        member.complaints = complaints.get(member.pk, 0)
        numbers = per_caseworker.get(member.pk, [])
        member.mean_caseworkers = sum(numbers) / len(numbers) if numbers else None
        member.children_with_changes = sum(1 for n in numbers if n > 1)
        member.over_threshold = member.caseload > threshold
    all_numbers = list(counts.values())
    handovers = list(
        Handover.objects.filter(
            status=HandoverStatus.IN_PROGRESS,
            child__in=children_visible_to(user),
        )
        .filter(from_caseworker__team=chosen)
        .select_related("child", "from_caseworker", "to_caseworker")
        .order_by("overlap_until")
    )
    behind = contributors_behind([child_id for _cw, child_id in current])
    behind_names = dict(
        Child.objects.filter(pk__in={b.child_id for b in behind}).values_list("pk", "first_name")
    )
    for item in behind:
        item.child_name = behind_names.get(item.child_id, "")
    access_record(user=user, action=AccessAction.VIEW, record="team_overview", path=request.path)
    return render(
        request,
        "continuity/team.html",
        {
            "team": chosen,
            "teams": teams,
            "members": members,
            "threshold": threshold,
            "handovers": handovers,
            "children_total": len(all_numbers),
            "mean_caseworkers": sum(all_numbers) / len(all_numbers) if all_numbers else None,
            "children_with_changes": sum(1 for n in all_numbers if n > 1),
            "contributors_behind": behind,
        },
    )


@login_required
def handover_start(request, child_id):
    child = child_for_request(request, child_id, record="handover")
    if not may_manage_caseworkers(request.user, child):
        raise PermissionDenied
    current = services.responsible_assignment(child)
    form = forms.HandoverStartForm(
        request.POST or None, child=child, current_caseworker=current and current.caseworker
    )
    if request.method == "POST" and form.is_valid():
        try:
            handover = services.handover_start(actor=request.user, child=child, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The handover has started."))
            return redirect("continuity:handover", child_id=child.pk, handover_id=handover.pk)
    return render(
        request,
        "continuity/handover_start.html",
        {"child": child, "form": form, "current": current},
    )


def _handover(child, handover_id) -> Handover:
    handover = (
        Handover.objects.filter(pk=handover_id, child=child)
        .select_related("from_caseworker", "to_caseworker")
        .first()
    )
    if handover is None:
        raise Http404
    return handover


@login_required
def handover_detail(request, child_id, handover_id):
    child = child_for_request(request, child_id, record="handover")
    handover = _handover(child, handover_id)
    may_manage = may_manage_caseworkers(request.user, child)
    may_update = may_manage or request.user.pk == handover.to_caseworker_id
    form = forms.HandoverUpdateForm(request.POST or None, instance=handover)
    if request.method == "POST":
        if not may_update or not handover.is_under_way:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.handover_update(actor=request.user, handover=handover, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("continuity:handover", child_id=child.pk, handover_id=handover.pk)
    return render(
        request,
        "continuity/handover_detail.html",
        {
            "child": child,
            "handover": handover,
            "form": form,
            "may_manage": may_manage,
            "may_update": may_update,
            "cancel_form": forms.HandoverCancelForm(),
        },
    )


@login_required
def handover_complete(request, child_id, handover_id):
    child = child_for_request(request, child_id, record="handover")
    handover = _handover(child, handover_id)
    if request.method != "POST" or not may_manage_caseworkers(request.user, child):
        raise PermissionDenied
    try:
        services.handover_complete(actor=request.user, handover=handover)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("continuity:handover", child_id=child.pk, handover_id=handover.pk)
    messages.success(
        request,
        _("%(name)s is now the child's fixed caseworker.") % {"name": handover.to_caseworker},
    )
    return redirect("cases:child", child_id=child.pk)


@login_required
def handover_cancel(request, child_id, handover_id):
    child = child_for_request(request, child_id, record="handover")
    handover = _handover(child, handover_id)
    if request.method != "POST" or not may_manage_caseworkers(request.user, child):
        raise PermissionDenied
    form = forms.HandoverCancelForm(request.POST)
    if form.is_valid():
        try:
            services.handover_cancel(
                actor=request.user, handover=handover, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The handover is cancelled."))
            return redirect("cases:child", child_id=child.pk)
    else:
        messages.error(request, " ".join(form.errors["reason"]))
    return redirect("continuity:handover", child_id=child.pk, handover_id=handover.pk)
