"""Danish CPR numbers: one normalisation for every way a number comes in (forms, searches, the
API, the import, the MitID answer, reflection's guard), the birth date and its century
(CPR-kontoret's rule for the 7th digit).

The rules, in order:
1. Separators are dropped: every kind of space (also the no-break spaces), every dash (hyphen,
   non-breaking hyphen, en and em dash, the minus sign, the full-width hyphen, ...) and the
   invisible formatting characters a paste can bring (soft hyphen, zero-width space).
2. What is left must be exactly ten of the digits 0-9. Other digits (full-width `０`, Arabic-Indic
   `٠`, superscript `²`) are refused, not converted: one number is stored in one way only.
3. The first six digits are a real date, DDMMYY, and that date has come (no one is born in the
   future); the 7th digit gives the century (`_century`).
Since 2007 not every CPR number passes the old modulus-11 check (and fictitious test numbers
never did), so it is not required. `cases/test_cpr.py` compares these rules with python-stdnum's
`stdnum.dk.cpr`.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TEN_DIGITS = re.compile(r"[0-9]{10}")
# Format characters a paste can carry, invisible on screen: soft hyphen, zero-width space,
# word joiner, byte order mark.
INVISIBLE = frozenset("\u00ad\u200b\u2060\ufeff")
MINUS_SIGNS = frozenset("\u2212\u2796")


def is_separator(char: str) -> bool:
    """A character that may stand between the digits of a CPR number as people type or paste it."""
    return (
        char.isspace()
        or unicodedata.category(char) in ("Pd", "Zs")  # every dash, every space
        or char in MINUS_SIGNS
        or char in INVISIBLE
    )


def normalise_cpr(value: str) -> str:
    """The CPR number as typed or pasted, without its separators (not yet checked)."""
    return "".join(char for char in (value or "") if not is_separator(char))


@dataclass(frozen=True)
class Cpr:
    digits: str
    birth_date: date

    @property
    def masked(self) -> str:
        """The form shown in lists: birth date only, the serial hidden."""
        return f"{self.digits[:6]}-xxxx"

    @property
    def formatted(self) -> str:
        return f"{self.digits[:6]}-{self.digits[6:]}"


def _century(year_two: int, seventh: int) -> int:
    if seventh <= 3:
        return 1900
    if seventh in (4, 9):
        return 2000 if year_two <= 36 else 1900
    return 2000 if year_two <= 57 else 1800


def parse_cpr(value: str) -> Cpr:
    """Parse a CPR number as typed (`DDMMYY-SSSS`, ten digits, with spaces or any dash); raise a
    ValidationError with a clear message for anything that is not one."""
    digits = normalise_cpr(value)
    if not TEN_DIGITS.fullmatch(digits):
        if any(char.isdigit() and char not in "0123456789" for char in digits):
            raise ValidationError(
                _("Write the CPR number with the ordinary digits 0-9."), code="cpr_digits"
            )
        raise ValidationError(
            _("A CPR number is ten digits, written as DDMMYY-SSSS."), code="cpr_format"
        )
    day, month, year_two, seventh = (
        int(digits[0:2]),
        int(digits[2:4]),
        int(digits[4:6]),
        int(digits[6]),
    )
    try:
        birth_date = date(_century(year_two, seventh) + year_two, month, day)
    except ValueError:
        raise ValidationError(
            _("The first six digits of a CPR number must be a real date (DDMMYY)."),
            code="cpr_date",
        ) from None
    if birth_date > timezone.localdate():
        raise ValidationError(
            _("The CPR number gives a birth date in the future (%(date)s): check the digits."),
            code="cpr_future",
            params={"date": birth_date.strftime("%d-%m-%Y")},
        )
    return Cpr(digits=digits, birth_date=birth_date)


def validate_cpr(value: str) -> None:
    parse_cpr(value)


# Ten digits in the shape of a CPR number inside a text: DDMMYY, the date's parts perhaps split
# by dots or separators, then the serial after any separators (`010190-1234`, `010190 1234`,
# `01.01.90-1234`). A lookahead, so that every starting digit is tried; what stands between the
# digits is then judged by `is_separator`, the rule the forms use.
_CPR_SHAPE = re.compile(r"(?<!\d)(?=\d\d(\W{0,2})\d\d(\W{0,2})\d\d(\W{0,3})\d{4}(?!\d))")


def contains_cpr(text: str) -> bool:
    """Whether a text holds something written as a CPR number (whether its date is real or not)."""
    for found in _CPR_SHAPE.finditer(text or ""):
        date_gaps, serial_gap = found.group(1) + found.group(2), found.group(3)
        if all(char == "." or is_separator(char) for char in date_gaps) and all(
            is_separator(char) for char in serial_gap
        ):
            return True
    return False


def make_cpr(birth_date: date, serial: int) -> str:
    """A CPR number for a birth date and a 3-digit serial (used for demo and synthetic data)."""
    if birth_date.year >= 2000:
        seventh = 4
    elif birth_date.year >= 1900:
        seventh = 0
    else:
        raise ValueError("births before 1900 are not generated")
    return f"{birth_date:%d%m%y}{seventh}{serial % 1000:03d}"
