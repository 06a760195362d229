"""Staff must confirm their sign-in with a second factor before they see anything."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from accounts.oidc import IDP_VERIFIED

EXEMPT_URL_NAMES = {
    "accounts:login",
    "accounts:logout",
    "accounts:otp_verify",
    "accounts:otp_setup",
    "set_language",
    "oidc_authentication_init",
    "oidc_authentication_callback",
}


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not (settings.STEMME_REQUIRE_2FA and user.is_authenticated):
            return None
        if not user.needs_second_factor or user.is_verified():
            return None
        if request.session.get(IDP_VERIFIED):
            return None  # the municipality's provider confirmed the sign-in
        match = request.resolver_match
        if match and match.view_name in EXEMPT_URL_NAMES:
            return None
        from django_otp.plugins.otp_totp.models import TOTPDevice

        has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        step = reverse("accounts:otp_verify" if has_device else "accounts:otp_setup")
        # Back to the page asked for once the code is right (checked there by next_url).
        return redirect(f"{step}?{urlencode({'next': request.get_full_path()})}")
