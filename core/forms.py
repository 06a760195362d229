"""Form pieces shared by every capability: real date inputs and plausible dates."""

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

EARLIEST_DATE = date(1900, 1, 1)
LATEST_YEARS_AHEAD = 5


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def check_plausible_date(value: date | None) -> None:
    """Refuse dates in the impossible past or far future with a clear message."""
    if value is None:
        return
    day = value.date() if hasattr(value, "date") else value
    latest = timezone.localdate() + timedelta(days=365 * LATEST_YEARS_AHEAD)
    if day < EARLIEST_DATE:
        raise forms.ValidationError(_("This date is too far in the past."))
    if day > latest:
        raise forms.ValidationError(_("This date is too far in the future."))


class StemmeModelForm(forms.ModelForm):
    """A ModelForm with date pickers and plausible dates on every date field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateTimeField):
                field.widget = DateTimeInput()
                field.input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
                field.validators.append(check_plausible_date)
            elif isinstance(field, forms.DateField):
                field.widget = DateInput()
                field.validators.append(check_plausible_date)
            elif isinstance(field, forms.ModelChoiceField) and field.to_field_name is None:
                field.clean = _ids_checked_first(field, field.clean)


def _ids_checked_first(field: forms.ModelChoiceField, clean):
    """A chosen record's id is checked before it reaches the database: SQLite refuses an
    integer above 64 bits with an error, not an empty result, so "99999999999999999999" in a
    hand-made form must be an invalid choice here, like any other unknown id."""

    def checked(value):
        values = value if isinstance(value, list | tuple) else [value]
        for one in values:
            if one not in field.empty_values and whole_number(str(one)) is None:
                raise forms.ValidationError(
                    field.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(one)[:20]},
                )
        return clean(value)

    return checked


def add_service_errors(form: forms.Form, error) -> None:
    """Show a service's ValidationError on the form, next to the field it concerns."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def whole_number(value: str, *, digits: int = 18) -> int | None:
    """A number typed or sent in an address: plain ASCII digits 0-9, at most `digits` of them
    (the ids' own limit), else None. `str.isdigit()` is also true for "²" and "٣", which int()
    refuses or reads, so a hand-made address never reaches int() or the database with one."""
    if value and len(value) <= digits and value.isascii() and value.isdigit():
        return int(value)
    return None
