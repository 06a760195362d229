"""Forms of the insights app: the dashboard's period, the self-assessment and the evaluators'
export."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, check_plausible_date
from insights.models import RECOMMENDATIONS, Agreement


class DateRangeForm(forms.Form):
    """From and to, with the start before the end."""

    date_from = forms.DateField(
        label=_("From"), widget=DateInput(), validators=[check_plausible_date]
    )
    date_to = forms.DateField(label=_("To"), widget=DateInput(), validators=[check_plausible_date])

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start must come before the end."))
        return data


class PeriodForm(DateRangeForm):
    """The dashboard's period (a year up to today unless chosen) and grouping."""

    by = forms.ChoiceField(label=_("Show"), required=False)

    def __init__(self, *args, units, unit_names, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date_from"].required = False
        self.fields["date_to"].required = False
        self.fields["by"].choices = [(unit, unit_names[unit]) for unit in units]


class SelfAssessmentForm(forms.Form):
    carried_out_on = forms.DateField(
        label=_("Carried out on"), widget=DateInput(), validators=[check_plausible_date]
    )
    note = forms.CharField(
        label=_("What we will work on next"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carried_out_on"].initial = timezone.localdate()
        for _number, _name, statements in RECOMMENDATIONS:
            for key, text in statements:
                self.fields[f"agree_{key}"] = forms.TypedChoiceField(
                    label=text,
                    choices=Agreement.choices,
                    coerce=int,
                    widget=forms.RadioSelect,
                )
                self.fields[f"comment_{key}"] = forms.CharField(
                    label=_("Comment (optional)"), required=False, max_length=500
                )

    def recommendations(self):
        """The form's fields grouped by recommendation, for the template's fieldsets."""
        return [
            (number, name, [(self[f"agree_{k}"], self[f"comment_{k}"]) for k, _t in statements])
            for number, name, statements in RECOMMENDATIONS
        ]

    def agreements(self) -> dict[str, int]:
        return {
            name.removeprefix("agree_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("agree_")
        }

    def comments(self) -> dict[str, str]:
        return {
            name.removeprefix("comment_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("comment_")
        }


class ExportForm(DateRangeForm):
    key = forms.CharField(
        label=_("Export key"),
        min_length=16,
        max_length=200,
        widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "off"}),
        help_text=_(
            "The evaluator's secret key, at least 16 characters. The same key gives the same "
            "pseudonyms in every export, so exports can be joined over time; another key gives "
            "pseudonyms that cannot be linked."
        ),
    )
