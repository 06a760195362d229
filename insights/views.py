"""The dashboards: the caseworker's own children, the team leader's team per caseworker, the
head of department's and the analyst's municipality per team — or any of them month by month —
with each indicator's definition next to its number, as charts with data tables and as CSV."""

import csv
from datetime import date
from itertools import groupby

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role
from core.forms import add_service_errors
from insights import export as research_export
from insights import selectors, services
from insights.forms import ExportForm, PeriodForm, SelfAssessmentForm
from insights.indicators import GROUP_NAMES, Period
from insights.models import RECOMMENDATIONS, SelfAssessment
from survey import services as survey_services

EXPORTERS = (Role.ANALYST, Role.HEAD_OF_DEPARTMENT)
UNIT_NAMES = {
    "all": gettext_lazy("All together"),
    "caseworker": gettext_lazy("Per caseworker"),
    "team": gettext_lazy("Per team"),
    "month": gettext_lazy("Month by month"),
}


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
    form = PeriodForm(request.GET or None, units=scope.units, unit_names=UNIT_NAMES)
    period, unit = _period_and_unit(form, scope, timezone.localdate())
    as_csv = request.GET.get("format") == "csv"
    open_key = request.GET.get("indicator", "")
    rows, counted_at = selectors.dashboard(
        scope,
        period,
        unit,
        request.user.municipality_id,
        detail=selectors.ALL_DETAIL if as_csv else (open_key or None),
    )
    if as_csv:
        return _csv(rows, period)
    if open_key and request.headers.get("HX-Request"):
        row = next((row for row in rows if row.indicator.key == open_key), None)
        if row is None:
            raise Http404
        return render(request, "insights/_units.html", {"row": row, "unit_name": UNIT_NAMES[unit]})
    base_query = request.GET.copy()
    for name in ("indicator", "format"):
        base_query.pop(name, None)
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
            "csv_query": base_query.urlencode(),
            "base_query": base_query.urlencode(),
            "open": open_key,
            "counted_at": counted_at,
            "max_age": settings.STEMME_INSIGHTS_MAX_AGE_MINUTES,
            "show_survey": survey_services.may_read(request.user),
            "show_export": request.user.role in EXPORTERS,
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


@login_required
def self_assessment(request):
    """The municipality's rounds of the self-assessment, newest first, with their scores."""
    if selectors.scope_for(request.user) is None:
        raise PermissionDenied
    rounds = (
        SelfAssessment.objects.filter(municipality_id=request.user.municipality_id)
        .prefetch_related("answers")
        .order_by("-carried_out_on", "-pk")[:40]
    )
    numbers = [number for number, _name, _items in RECOMMENDATIONS]
    return render(
        request,
        "insights/self_assessment.html",
        {
            "rounds": [
                {
                    "assessment": round_,
                    "scores": [round_.scores_by_recommendation().get(n) for n in numbers],
                }
                for round_ in rounds
            ],
            "names": [(number, name) for number, name, _items in RECOMMENDATIONS],
            "may_assess": services.may_self_assess(request.user),
        },
    )


@login_required
def self_assessment_new(request):
    if not services.may_self_assess(request.user):
        raise PermissionDenied
    form = SelfAssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.self_assessment_record(
                actor=request.user,
                carried_out_on=form.cleaned_data["carried_out_on"],
                agreements=form.agreements(),
                comments=form.comments(),
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("insights:self_assessment")
    return render(
        request,
        "insights/self_assessment_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
def export(request):
    """The analyst's pseudonymised export of the municipality's indicators, as evaluators get
    it: no names, no CPR numbers, small cells hidden."""
    if request.user.role not in EXPORTERS:
        raise PermissionDenied
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        period = Period(data["date_from"], data["date_to"])
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="stemme-research-{period.start}-{period.end}.csv"'
        )
        research_export.write(response, data["key"], period, [request.user.municipality_id])
        return response
    return render(
        request,
        "insights/export.html",
        {"form": form, "small_cell": settings.STEMME_SMALL_CELL},
        status=400 if form.errors else 200,
    )
