"""Danish CPR numbers: format, birth date and century (CPR-kontoret's rule for the 7th digit).

Since 2007 not every CPR number passes the old modulus-11 check, so it is not required.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


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
    """Parse `DDMMYY-SSSS` or ten digits; raise ValidationError with a clear message."""
    digits = (value or "").strip().replace("-", "").replace(" ", "")
    if len(digits) != 10 or not digits.isdigit():
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
    return Cpr(digits=digits, birth_date=birth_date)


def validate_cpr(value: str) -> None:
    parse_cpr(value)


def make_cpr(birth_date: date, serial: int) -> str:
    """A CPR number for a birth date and a 3-digit serial (used for demo and synthetic data)."""
    if birth_date.year >= 2000:
        seventh = 4
    elif birth_date.year >= 1900:
        seventh = 0
    else:
        raise ValueError("births before 1900 are not generated")
    return f"{birth_date:%d%m%y}{seventh}{serial % 1000:03d}"
