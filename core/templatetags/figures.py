"""The figures that labels state, read from the settings the rules read, so no template writes
out a number a setting can change (`{% figure "party_age" as age %}`)."""

from django import template
from django.conf import settings

register = template.Library()

FIGURES = {
    "party_age": "STEMME_PARTY_AGE",
    "continuity_months": "STEMME_CONTINUITY_WINDOW_MONTHS",
}


@register.simple_tag
def figure(name: str) -> int:
    """The setting's figure now."""
    return getattr(settings, FIGURES[name])
