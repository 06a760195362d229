"""Request-wide rules: Danish first, and no NUL characters in what is sent.

Danish first: the language is Danish unless the user chose another with the language switch.

The browser's Accept-Language is not consulted: a Danish public-sector service speaks Danish
to everyone until they ask otherwise.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _


class DanishFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in dict(settings.LANGUAGES):
            chosen = settings.LANGUAGE_CODE
        translation.activate(chosen)
        request.LANGUAGE_CODE = translation.get_language()


class RefuseNulMiddleware:
    """A NUL character is never typed by a person and cannot be stored in PostgreSQL text: a
    request that carries one in its address or form gets a clear page (400) in the user's
    language instead of a server error deep in a query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sent = [request.GET]
        if request.method == "POST" and not request.content_type.startswith("application/json"):
            sent.append(request.POST)
        values = [request.path]
        values += [text for data in sent for key, vs in data.lists() for text in (key, *vs)]
        if any("\x00" in value for value in values):
            reason = _("What was sent holds a character that cannot be saved (NUL).")
            return render(request, "400.html", {"reason": reason}, status=400)
        return self.get_response(request)
