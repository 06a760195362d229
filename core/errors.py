"""Error pages that never make things worse: they render without the database, and a
database that is down or does not answer gets its own honest page (503) instead of a crash."""

import sys

from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token


def database_unavailable(error: BaseException | None) -> bool:
    """True when the error means the database could not be reached or did not answer."""
    from django.db import InterfaceError, OperationalError

    return isinstance(error, OperationalError | InterfaceError)


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """handler500: called inside Django's `except` block, so the error is still in sys.exc_info.
    Neither page touches the database (no context processors, no user, no session)."""
    error = sys.exc_info()[1]
    if database_unavailable(error):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponseServerError(loader.get_template(template_name).render())


def csrf_failure(request, reason=""):
    """A form sent without its security token (an old tab, cookies blocked): Stemme's own page,
    in the user's language, saying what to do; never Django's technical page."""
    from django.shortcuts import render

    return render(
        request,
        "403_csrf.html",
        {"title": _("The form had expired")},
        status=403,
    )


def bad_request(request, exception=None):
    """handler400. A session that ended while the page was being answered (signed out in
    another tab) comes after the view ran, so "nothing was saved" would not be true there."""
    from django.contrib.sessions.exceptions import SessionInterrupted
    from django.shortcuts import render

    interrupted = isinstance(exception, SessionInterrupted)
    return render(request, "400.html", {"session_ended": interrupted}, status=400)
