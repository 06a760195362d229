"""Date arithmetic for legal deadlines, which are counted in calendar months."""

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day when that day does not exist."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def age_on(birth_date: date, day: date) -> int:
    """Whole years between birth_date and day."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday


def months_back(day: date, months: int) -> date:
    """The first day of "the last `months` months" up to and including `day`: the same day
    `months` earlier (the month's last day when that day does not exist). Every "last 12 months"
    in Stemme starts here, so the due-lists, the insights and the pages count the same days."""
    return add_months(day, -months)
