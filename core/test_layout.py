"""What the style sheet promises, computed from it: the focus ring stands out (WCAG 2.1,
1.4.11: 3:1) on every surface a focused element sits on. The browser test in e2e/test_layout.py
checks the same on a real page."""

import re
from pathlib import Path

from django.conf import settings

from core import testing

CSS = (Path(settings.BASE_DIR) / "static" / "css" / "stemme.css").read_text()


def _colour(value: str) -> str:
    variable = re.fullmatch(r"var\((--[\w-]+)\)", value.strip())
    if variable:
        return re.search(rf"{variable.group(1)}:\s*(#[0-9a-fA-F]{{3,6}})", CSS).group(1)
    return value.strip()


def test_the_focus_ring_has_three_to_one_against_every_surface():
    ring = re.search(r":focus-visible\s*{[^}]*outline:\s*\d+px solid ([^;]+);", CSS).group(1)
    ring = _colour(ring)
    surfaces = {"#ffffff", "#000000"}  # the page, and the video player
    for value in re.findall(r"background(?:-color)?:\s*(#[0-9a-fA-F]{3,6}|var\([^)]+\))", CSS):
        colour = _colour(value)
        # Buttons are dark, but the ring is drawn outside them (outline-offset) on the
        # surface around them; the surfaces are the light colours.
        if testing.contrast(colour, "#000000") > 7:
            surfaces.add(colour)
    assert len(surfaces) > 8
    weak = {s: round(testing.contrast(ring, s), 2) for s in surfaces}
    assert all(ratio >= 3 for ratio in weak.values()), weak
    assert "outline-offset: 2px" in CSS
