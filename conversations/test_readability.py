"""LIX counted by hand: Danish texts with their words, sentences and long words counted by a
person following the rules written in `conversations/readability.py`, and the counter held to
them. Each case shows the hand count, so a reader can check it."""

import pytest

from conversations.readability import _counts, lix

# (text, words, sentences, the long words (more than six letters), LIX by hand)
HAND_COUNTED = [
    # 1. A hyphenated word is one word of its letters: tv-show has six, so it is short.
    #    11 words / 2 sentences + 100 * 1 / 11 = 5.50 + 9.09 = 14.59
    ("Vi så et tv-show om hunde. Bagefter legede vi i haven.", 11, 2, ["Bagefter"], 15),
    # 2. bl.a., kl. and dvs. do not end the sentence before a small letter or a number; "10" is
    #    not a word. 15 / 2 + 100 * 1 / 15 = 7.50 + 6.67 = 14.17
    (
        "Du skal bl.a. tale med din lærer. Vi mødes kl. 10 på skolen, dvs. i klassen.",
        15,
        2,
        ["klassen"],
        14,
    ),
    # 3. Ordinal numbers: "3. klasse" and "5. maj" go on. 12 / 2 + 0 = 6.00
    ("Du går i 3. klasse. Den 5. maj holder vi møde med din mor.", 12, 2, [], 6),
    # 4. A run-on text with no full stop is one sentence. 22 / 1 + 0 = 22.00
    (
        "jeg vil gerne bo hos min mor og jeg vil se min hund hver dag og lege med mine venner "
        "efter skole",
        22,
        1,
        [],
        22,
    ),
    # 5. A list: each line is a sentence. 15 / 4 + 100 * 1 / 15 = 3.75 + 6.67 = 10.42
    (
        "Mine ønsker\nSe mor hver uge\nSpille fodbold\nBo i samme by som min bror",
        15,
        4,
        ["fodbold"],
        10,
    ),
    # 6. A heading, then two sentences. 10 / 3 + 0 = 3.33
    ("Dit møde\nVi ses på fredag. Din mor kommer også.", 10, 3, [], 3),
    # 7. A summary to a child. 26 / 4 + 100 * 3 / 26 = 6.50 + 11.54 = 18.04
    (
        "Tak for snakken i dag. Du fortalte, at du gerne vil se din far oftere. Det vil jeg "
        "arbejde for. Vi ses igen om en måned.",
        26,
        4,
        ["snakken", "fortalte", "arbejde"],
        18,
    ),
    # 8. The authority's prose. 21 / 2 + 100 * 9 / 21 = 10.50 + 42.86 = 53.36
    (
        "Kommunen har truffet afgørelse om anbringelse uden for hjemmet efter barnets lov. "
        "Afgørelsen kan påklages til Ankestyrelsen inden for fire uger.",
        21,
        2,
        [
            "Kommunen",
            "truffet",
            "afgørelse",
            "anbringelse",
            "hjemmet",
            "barnets",
            "Afgørelsen",
            "påklages",
            "Ankestyrelsen",
        ],
        53,
    ),
    # 9. Questions and an exclamation. 12 / 3 + 100 * 2 / 12 = 4.00 + 16.67 = 20.67
    (
        "Hvordan har du det? Godt! Vil du fortælle mig om din skole?",
        12,
        3,
        ["Hvordan", "fortælle"],
        21,
    ),
    # 10. A colon ends a sentence; "..." is one end. 11 / 3 + 0 = 3.67
    ("Husk: du må altid sige nej... Det er helt i orden.", 11, 3, [], 4),
    # 11. A number's dot before a capital letter ends the sentence. 10 / 3 + 0 = 3.33
    ("Jeg er 9. Min bror er 12. Vi bor hos vores moster.", 10, 3, [], 3),
    # 12. An abbreviation's dot before a capital letter ends the sentence.
    #     14 / 2 + 100 * 1 / 14 = 7.00 + 7.14 = 14.14
    (
        "Vi talte om skole, venner, sport osv. Næste gang taler vi om din familie.",
        14,
        2,
        ["familie"],
        14,
    ),
    # 13. A full stop inside quotes ends the sentence. 10 / 3 + 100 * 1 / 10 = 3.33 + 10 = 13.33
    ('Du sagde: "Jeg vil hjem." Det har jeg skrevet ned.', 10, 3, ["skrevet"], 13),
    # 14. A hyphenated word of eight letters is long. 5 / 1 + 100 * 3 / 5 = 5 + 60 = 65.00
    (
        "Din skole-dag starter klokken otte.",
        5,
        1,
        ["skole-dag", "starter", "klokken"],
        65,
    ),
]


@pytest.mark.parametrize(("text", "words", "sentences", "long_words", "by_hand"), HAND_COUNTED)
def test_lix_agrees_with_the_hand_count(text, words, sentences, long_words, by_hand):
    assert _counts(text) == (words, sentences, len(long_words))
    assert by_hand == round(words / sentences + 100 * len(long_words) / words)
    assert lix(text) == by_hand


def test_stray_marks_and_texts_without_words():
    assert lix("") == lix("...") == lix("12. 13.") == 0
    assert _counts("Hej. . . Du er sød.\n---\n") == (4, 2, 0)
