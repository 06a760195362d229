"""LIX, the Scandinavian readability index (Björnsson 1968): words per sentence plus the share
of long words (more than six letters) in per cent. Below 25 is easy (children's books), above
40 is hard (factual prose). The summary to the child must fit the child's age."""

import re

from django.conf import settings

WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*", re.UNICODE)
SENTENCE_END = re.compile(r"[.!?:;]+(?=\s|$)")


def lix(text: str) -> int:
    """The LIX of a text (0 for an empty text)."""
    words = WORD.findall(text or "")
    if not words:
        return 0
    sentences = len(SENTENCE_END.findall(text.strip())) or 1
    if not SENTENCE_END.search(text.strip()[-1:] or "."):
        sentences += 1  # a last sentence without a full stop still counts
    long_words = sum(1 for word in words if len(word) > 6)
    return round(len(words) / sentences + long_words * 100 / len(words))


def lix_limit(age: int) -> int:
    """The highest LIX a text to a child of this age should have (settings per age band)."""
    for upper_age, limit in settings.STEMME_LIX_LIMITS:
        if age <= upper_age:
            return limit
    return settings.STEMME_LIX_LIMITS[-1][1]


def require_readable(text: str, age: int, *, field: str, accept_hard_text: bool) -> int:
    """The LIX of a text to a child; a ValidationError on `field` if it is too hard for the
    child's age and the writer has not chosen to save it anyway."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    score, limit = lix(text), lix_limit(age)
    if score > limit and not accept_hard_text:
        raise ValidationError(
            {
                field: _(
                    "The text may be too hard for a child of %(age)d: its LIX is %(lix)d, the "
                    "limit is %(limit)d. Use shorter sentences and shorter words, or save it "
                    "anyway."
                )
                % {"age": age, "lix": score, "limit": limit}
            }
        )
    return score
