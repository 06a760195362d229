"""Danish first: the language is Danish unless the user chose another with the language switch.

The browser's Accept-Language is not consulted: a Danish public-sector service speaks Danish
to everyone until they ask otherwise.
"""

import time

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class DanishFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in dict(settings.LANGUAGES):
            chosen = settings.LANGUAGE_CODE
        translation.activate(chosen)
        request.LANGUAGE_CODE = translation.get_language()


class SlidingSessionMiddleware:
    """The idle timeout without a database write on every request: the session's expiry is
    renewed (saved) at most once every STEMME_SESSION_REFRESH_SECONDS, so a busy page costs no
    write to the session table and SQLite's single writer is left for real work. The idle
    timeout stays between SESSION_COOKIE_AGE minus that interval and SESSION_COOKIE_AGE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.session_key and not session.is_empty():
            now = int(time.time())
            if now - session.get("_renewed", 0) >= settings.STEMME_SESSION_REFRESH_SECONDS:
                session["_renewed"] = now  # marks the session changed: saved, expiry renewed
        return response
