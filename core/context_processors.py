"""Values every template may use."""

from django.conf import settings


def stemme(request):
    return {
        "require_2fa": settings.STEMME_REQUIRE_2FA,
        "debug_mode": settings.DEBUG,
    }
