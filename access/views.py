"""Break-glass: open an unassigned child with a stated reason; leaders review such accesses."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access import forms, services
from access.models import BreakGlassGrant
from access.policy import break_glass_candidate
from accounts.models import Role
from audit.models import AccessAction, AccessBasis, AccessEvent
from audit.services import access_record
from core.forms import add_service_errors

LEADERS = {Role.TEAM_LEADER, Role.HEAD_OF_DEPARTMENT}


def _safe_next(request, child) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    prefix = f"/children/{child.pk}/"
    if target.startswith(prefix) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return target
    return prefix


@login_required
def break_glass(request, child_id):
    """Ask an unassigned staff member why they need the child's case, then open it."""
    child, already_visible = break_glass_candidate(request, child_id)
    next_url = _safe_next(request, child)
    if already_visible:
        return redirect(next_url)
    form = forms.BreakGlassForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.break_glass_open(
                    user=request.user,
                    child=child,
                    reason=form.cleaned_data["reason"],
                    path=request.path,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect(next_url)
        # A try without a good enough reason is itself worth a line in the log.
        access_record(
            user=request.user,
            action=AccessAction.REFUSED,
            requested_child_id=child.pk,
            record="break_glass_without_reason",
            path=request.path,
        )
    return render(request, "access/break_glass.html", {"form": form, "next": next_url}, status=403)


def _reviewable(user):
    grants = BreakGlassGrant.objects.filter(child__municipality_id=user.municipality_id)
    if user.role == Role.TEAM_LEADER:
        grants = grants.filter(user__team_id=user.team_id)
    return grants


@login_required
def break_glass_review(request):
    """Accesses without assignment, for the leader to see and acknowledge."""
    user = request.user
    if user.role not in LEADERS:
        raise Http404
    looks = (
        AccessEvent.objects.filter(
            user_id=OuterRef("user_id"),
            child_id=OuterRef("child_id"),
            basis=AccessBasis.BREAK_GLASS,
            at__gte=OuterRef("granted_at"),
            at__lte=OuterRef("expires_at"),
        )
        .order_by()
        .values("child_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    show_all = request.GET.get("all") == "1"
    grants = _reviewable(user).select_related("user", "user__team", "child", "acknowledged_by")
    if not show_all:
        grants = grants.filter(acknowledged_at__isnull=True)
    grants = grants.annotate(looks=Coalesce(Subquery(looks), 0)).order_by("-granted_at")[:200]
    access_record(
        user=user, action=AccessAction.VIEW, record="break_glass_review", path=request.path
    )
    return render(
        request,
        "access/break_glass_review.html",
        {
            "grants": list(grants),
            "show_all": show_all,
            "open_count": _reviewable(user).filter(acknowledged_at__isnull=True).count(),
            "form": forms.AcknowledgeForm(),
        },
    )


@login_required
@require_POST
def break_glass_acknowledge(request, grant_id):
    user = request.user
    if user.role not in LEADERS:
        raise Http404
    grant = _reviewable(user).filter(pk=grant_id).first()
    if grant is None:
        raise Http404
    form = forms.AcknowledgeForm(request.POST)
    if form.is_valid():
        try:
            services.break_glass_acknowledge(
                leader=user, grant=grant, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Acknowledged."))
    return redirect("access:break_glass_review")
