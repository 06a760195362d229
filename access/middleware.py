"""Turns the access helper's refusals into answers: break-glass is offered, and a permission
refusal is written to the access log before the 403 page."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from access.policy import BreakGlassRequired
from audit.models import AccessAction
from audit.services import access_record


class AccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, BreakGlassRequired):
            url = reverse("access:break_glass", args=[exception.child_id])
            return redirect(f"{url}?{urlencode({'next': exception.next_path})}")
        if isinstance(exception, PermissionDenied):
            match = request.resolver_match
            child_id = match.kwargs.get("child_id") if match else None
            access_record(
                user=request.user,
                action=AccessAction.REFUSED,
                requested_child_id=int(child_id) if child_id is not None else None,
                record=(match.view_name if match else "")[:100],
                path=request.path,
            )
        return None
