"""The start: each role is sent to its own page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from access.policy import Need, children_visible_to
from accounts.models import Role


@login_required
def home(request):
    role = request.user.role
    if role == Role.CASEWORKER:
        return redirect("cases:start")
    if role in (Role.TEAM_LEADER, Role.HEAD_OF_DEPARTMENT):
        return redirect("continuity:team")
    if role == Role.ADMINISTRATOR or request.user.is_superuser:
        return redirect("admin:index")
    if role == Role.CONSULTANT:
        return redirect("reflection:home")
    if role == Role.CONTRIBUTOR:
        children = children_visible_to(request.user, Need.LIFE_BOOK).only(
            "first_name", "preferred_name", "last_name"
        )
        return render(request, "core/contributor_home.html", {"children": children})
    return render(request, "core/analyst_home.html")
