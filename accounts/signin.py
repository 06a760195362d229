"""What every way into Stemme shares (staff password, second factor, municipal sign-in, the
child's code and PIN, MitID, the handed-over screen): where a sign-in may send the browser
afterwards, who the client is, how failed attempts are throttled, and what a failed attempt may
leave in the access log."""

import hashlib
import hmac
import ipaddress
from urllib.parse import urlsplit

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import authenticate
from django.db.models import Sum
from django.shortcuts import resolve_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.models import User

UNKNOWN_USER = "unknown user"


def next_url(request, url: str | None = None, *, fallback: str | None = None) -> str:
    """Where to go after a sign-in step: `url` (by default the request's `next`) when it stays on
    this site, otherwise `fallback` (by default the start page). Every step of every sign-in asks
    here, so `next=https://evil.example/`, `//evil.example`, `/\\evil.example` or a `next` hidden
    inside another step's `next` never leads off the site (ASVS 5.1.5)."""
    return safe_url(request, url) or resolve_url(fallback or settings.LOGIN_REDIRECT_URL)


def safe_url(request, url: str | None = None) -> str:
    """`url` (by default the request's `next`) if it stays on this site, otherwise ""."""
    if url is None:
        url = request.POST.get("next") or request.GET.get("next") or ""
    if not url or not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    # A path relative to the sign-in page ("%2F%2Fevil.example") goes nowhere meant: only this
    # site's own paths and addresses.
    return url if url.startswith("/") or urlsplit(url).netloc else ""


def client_address(request) -> str:
    """The client's IP address. Directly on the internet it is the connection's address;
    behind `STEMME_PROXY_COUNT` reverse proxies it is the address the outermost of them saw,
    which each proxy appends to X-Forwarded-For (anything further left the client wrote
    itself). X-Forwarded-For is never read unless the operator sets the count."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = settings.STEMME_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if not forwarded:
        return remote
    candidate = forwarded[-count] if len(forwarded) >= count else forwarded[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def address_failures(address: str) -> int:
    """Failed staff sign-ins from one client address within the lockout period, whatever the
    usernames (django-axes keeps one row per username and address)."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    total = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since).aggregate(
        total=Sum("failures_since_start")
    )["total"]
    return total or 0


class SignInThrottle(AxesDatabaseHandler):
    """django-axes locks an account after `STEMME_LOGIN_FAILURE_LIMIT` failures, from wherever
    they come; this adds a lock of the client address after `STEMME_LOGIN_ADDRESS_FAILURE_LIMIT`
    failures for any usernames, so one address cannot spray a few guesses at every known
    username, nor lock every known account out. Attempts refused by a lock are not counted
    (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT is off), so a locked-out address cannot go on
    locking accounts."""

    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            return True
        address = getattr(request, "axes_ip_address", None) or client_address(request)
        return address_failures(address) >= settings.STEMME_LOGIN_ADDRESS_FAILURE_LIMIT


def username_for_log(typed: str) -> str:
    """What a failed sign-in may write about the username typed: the username when it names an
    account, otherwise only that it did not (a password typed into the wrong field must never
    reach the log; ASVS 7.1.1)."""
    typed = (typed or "").strip()
    if typed and User.objects.filter(username=typed).exists():
        return typed
    return UNKNOWN_USER


def username_for_axes(request, credentials) -> str | None:
    """The username django-axes counts failures under and stores: the username when it names an
    account; otherwise a keyed digest of what was typed, so attempts on different unknown names
    stay apart (one shared bucket would tell an attacker which names exist) and the typed text
    itself is never stored."""
    typed = (credentials or {}).get("username")
    if typed is None:
        typed = request.POST.get("username")
    if typed is None:
        return None
    if username_for_log(typed) != UNKNOWN_USER:
        return typed.strip()
    digest = hmac.new(settings.SECRET_KEY.encode(), typed.encode(), hashlib.sha256).hexdigest()
    return f"{UNKNOWN_USER} {digest[:16]}"


def password_confirms(request, password: str) -> bool:
    """Check the signed-in staff member's password again (taking back a handed-over screen)
    exactly as the sign-in page does: through django-axes, so a wrong password counts towards
    the same lockout, and a locked account is refused even with the right password."""
    user = authenticate(request, username=request.user.get_username(), password=password)
    if user is None or user.pk != request.user.pk:
        return False
    axes_reset(username=user.get_username())  # as a successful sign-in does
    return True
