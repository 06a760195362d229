"""A signed-in child stays in the portal, an idle session ends soon (a shared or lost phone
should not stay open), and no portal page is kept in a cache."""

from django.conf import settings
from django.shortcuts import redirect

from accounts.models import Role

# Paths a signed-in child may reach besides the portal itself.
OPEN_PREFIXES = ("/me/", "/static/", "/i18n/", "/f/")


class PortalSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.role == Role.CHILD:
            idle = settings.STEMME_PORTAL_IDLE_MINUTES * 60
            if request.session.get("_session_expiry") != idle:  # set once, not on every page
                request.session.set_expiry(idle)
            if not request.path.startswith(OPEN_PREFIXES):
                return redirect("portal:home")
        response = self.get_response(request)
        if request.path.startswith("/me/"):
            # A shared phone's back button or a link preview shows nothing of the child's life.
            response["Cache-Control"] = "private, no-store"
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response
