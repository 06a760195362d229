"""Middleware every page shares: Danish first, no NUL characters in what is sent, no page kept
in a browser's or a proxy's cache, and a session renewed without a write on every page."""

import time

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _


class DanishFirstLocaleMiddleware(LocaleMiddleware):
    """Danish first: the language is Danish unless the user chose another with the language
    switch.

    The browser's Accept-Language is not consulted: a Danish public-sector service speaks Danish
    to everyone until they ask otherwise.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in dict(settings.LANGUAGES):
            chosen = settings.LANGUAGE_CODE
        translation.activate(chosen)
        request.LANGUAGE_CODE = translation.get_language()


class NoStoreMiddleware:
    """Every answer except a static asset is `Cache-Control: private, no-store`.

    A child's page, a life book photo or a portal page must not stay on a shared computer in the
    town hall, on a foster family's tablet or in a proxy, where the back button or the cache
    folder shows it to the next person (ASVS 8.2.1). One rule for every page, signed in or not,
    so no new view can forget it. Static files are served (and cached) by WhiteNoise before
    this middleware is reached; the path check keeps that true whatever serves them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(settings.STATIC_URL):
            response["Cache-Control"] = "private, no-store"
        return response


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
