"""Values every template may use."""

from django.conf import settings


def stemme(request):
    return {
        "require_2fa": settings.STEMME_REQUIRE_2FA,
        "debug_mode": settings.DEBUG,
        # Figures that labels state, read from the settings the rules read (never written out).
        "continuity_months": settings.STEMME_CONTINUITY_WINDOW_MONTHS,
    }
