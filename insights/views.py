"""The dashboards: the caseworker's own children, the team leader's team per caseworker, the
head of department's and the analyst's municipality per team — or any of them month by month —
with each indicator's definition next to its number, as charts with data tables and as CSV."""

import csv
from datetime import date
from itertools import groupby

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from insights import selectors
from insights.indicators import GROUP_NAMES, Period

UNIT_NAMES = {
    "all": gettext_lazy("All together"),
    "caseworker": gettext_lazy("Per caseworker"),
    "team": gettext_lazy("Per team"),
    "month": gettext_lazy("Month by month"),
}


class PeriodForm(forms.Form):
    date_from = forms.DateField(label=gettext_lazy("From"), required=False)
    date_to = forms.DateField(label=gettext_lazy("To"), required=False)
    by = forms.ChoiceField(label=gettext_lazy("Show"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["by"].choices = [(unit, UNIT_NAMES[unit]) for unit in units]
        for name in ("date_from", "date_to"):
            self.fields[name].widget = forms.DateInput(attrs={"type": "date"})

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start must come before the end."))
        return data


def _period_and_unit(form, scope, today: date):
    default = selectors.default_period(today)
    if not form.is_valid():
        return default, scope.units[0]
    data = form.cleaned_data
    period = Period(data.get("date_from") or default.start, data.get("date_to") or default.end)
    return period, data.get("by") or scope.units[0]


@login_required
def dashboard(request):
    scope = selectors.scope_for(request.user)
    if scope is None:
        raise PermissionDenied
    form = PeriodForm(request.GET or None, units=scope.units)
    period, unit = _period_and_unit(form, scope, timezone.localdate())
    rows = selectors.dashboard(scope, period, unit, request.user.municipality_id)
    if request.GET.get("format") == "csv":
        return _csv(rows, period)
    return render(
        request,
        "insights/dashboard.html",
        {
            "scope": scope,
            "form": form,
            "period": period,
            "unit": unit,
            "unit_name": UNIT_NAMES[unit],
            "groups": [
                (GROUP_NAMES[key], list(items))
                for key, items in groupby(rows, key=lambda row: row.indicator.group)
            ],
            "csv_query": request.GET.urlencode(),
        },
    )


def _csv(rows, period) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="stemme-indicators-{period.start}-{period.end}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(["indicator", "unit", "counted", "met", "value", "definition", "reference"])
    for row in rows:
        indicator = row.indicator
        for label, figure in [(_("All together"), row.total), *row.units]:
            writer.writerow(
                [
                    str(indicator.name),
                    label,
                    figure.counted,
                    "" if figure.met is None else figure.met,
                    "" if figure.value(indicator.kind) is None else figure.value(indicator.kind),
                    str(indicator.definition),
                    indicator.reference,
                ]
            )
    return response
