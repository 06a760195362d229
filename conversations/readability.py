"""LIX, the Scandinavian readability index (Björnsson 1968): words per sentence plus the share
of long words in per cent. Below 25 is easy (children's books), above 40 is hard (factual
prose). Every text Stemme writes to a child must fit the limit of the child's own age band.

How Stemme counts (the rules a person counting by hand follows; `conversations/test_readability.py`
holds them to hand counts of Danish texts):

    LIX = words / sentences + 100 * long words / words

1. A word is a run of letters. Letters joined by a hyphen, an apostrophe or a dot are one word:
   `tv-show`, `Anders'`, `bl.a.`, `f.eks.`. Numbers are not words.
2. A word is long when it has more than six letters; hyphens, apostrophes and dots are not
   letters (`tv-show` has six letters, so it is short; `skole-dag` has eight, so it is long).
3. A sentence ends at a full stop, an exclamation mark, a question mark or a colon that stands
   before a space, a closing quote or bracket, or the end of the line. Several together (`...`,
   `?!`) end one sentence.
4. A dot after a number (`3. klasse`, `den 5. maj`) or after a known abbreviation (`bl.a.`,
   `dvs.`, `kl.`, `f.eks.`, `osv.`, ...: `ABBREVIATIONS`) does not end the sentence when the
   next word starts with a small letter or a digit (`kl. 10`); before a capital letter or at
   the end of a line it does (`Jeg er 9. Du er 12.`).
5. The end of a line ends a sentence, with or without a full stop: a heading, each point of a
   list and a last sentence without a full stop each count as one.
6. Only sentences that hold a word count: stray marks (`. . .`, a line of `---`) add none.
7. A text without words has LIX 0. The result is rounded to a whole number.
"""

import re

from django.conf import settings

WORD = re.compile(r"[^\W\d_]+(?:[-'’.][^\W\d_]+)*")
NUMBER = re.compile(r"\d+")
END = re.compile(r"[.!?:]+(?=[\"'”’»)\]]*(?:\s|$))")
TOKEN = re.compile(rf"(?P<word>{WORD.pattern})|(?P<number>{NUMBER.pattern})|(?P<end>{END.pattern})")
# Abbreviations whose dot does not end a sentence before a small letter or a digit (rule 4);
# written without their last dot, in small letters.
ABBREVIATIONS = frozenset(
    {
        "bl.a", "ca", "dvs", "el", "evt", "f.eks", "fx", "hhv", "inkl", "ekskl", "jf", "kl",
        "mht", "mv", "nr", "osv", "pga", "pct", "s", "st", "stk", "t.o.m", "f.o.m", "vha",
        "iflg", "ift", "o.l", "m.fl", "m.m", "etc", "tlf", "gl", "ml",
    }
)  # fmt: skip


def _counts(text: str) -> tuple[int, int, int]:
    """Words, sentences and long words of a text, by the rules above."""
    words = sentences = long_words = 0
    for line in (text or "").splitlines():
        words_since_end = 0
        tokens = list(TOKEN.finditer(line))
        for index, token in enumerate(tokens):
            if token.group("word"):
                words += 1
                words_since_end += 1
                long_words += sum(char.isalpha() for char in token.group("word")) > 6
            elif token.group("end") and words_since_end and not _continues(line, tokens, index):
                sentences += 1
                words_since_end = 0
        if words_since_end:  # rule 5: the line's end ends its last sentence
            sentences += 1
    return words, sentences, long_words


def _continues(line: str, tokens: list, index: int) -> bool:
    """Whether the dot at `tokens[index]` is an ordinal's or an abbreviation's, with the sentence
    going on after it (rule 4)."""
    end = tokens[index]
    if end.group("end") != "." or index == 0:
        return False
    before = tokens[index - 1]
    if before.end() != end.start():
        return False
    is_ordinal = bool(before.group("number"))
    is_abbreviation = bool(before.group("word")) and before.group("word").lower() in ABBREVIATIONS
    if not (is_ordinal or is_abbreviation):
        return False
    rest = line[end.end() :].lstrip()
    return bool(rest) and (rest[0].islower() or rest[0].isdigit())


def lix(text: str) -> int:
    """The LIX of a text (0 for a text without words)."""
    words, sentences, long_words = _counts(text)
    if not words:
        return 0
    return round(words / sentences + long_words * 100 / words)


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
