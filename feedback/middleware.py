"""While the caseworker's screen is handed to the child, the child sees only the questions:
every other address leads back to them, and leaving needs the caseworker's password."""

from django.shortcuts import redirect
from django.urls import reverse

from feedback.views import SCREEN_SESSION_KEY


class ScreenLockMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request.session.get(SCREEN_SESSION_KEY) if hasattr(request, "session") else None
        if token is not None:
            allowed = (
                reverse("feedback:answer", args=[token]),
                reverse("feedback:unlock"),
                "/static/",
                "/i18n/",
            )
            if not request.path.startswith(allowed):
                return redirect("feedback:answer", token=token)
        return self.get_response(request)
