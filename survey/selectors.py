"""The survey's report: averages per question, overall and per age group and per where the
child lives, each shown only where at least STEMME_SMALL_CELL children answered (and one more
hidden where a single hidden group could be found by subtraction)."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Avg, Count

from insights.indicators import Figure, suppress
from survey.models import QUESTIONS, AgeGroup, Living, Survey, SurveyResponse


@dataclass
class QuestionReport:
    text: str
    total: Figure
    by_age: list[tuple[str, Figure]]
    by_living: list[tuple[str, Figure]]


def _figures(survey: Survey, group: str | None) -> dict:
    """{(question, group value): Figure} in one aggregate query."""
    fields = ["answers__question"] + ([group] if group else [])
    rows = (
        SurveyResponse.objects.filter(survey=survey, answers__normalized__isnull=False)
        .values(*fields)
        .annotate(n=Count("pk", distinct=True), average=Avg("answers__normalized"))
    )
    return {
        (row["answers__question"], row[group] if group else None): Figure(
            row["n"], round(row["average"], 1), row["n"]
        )
        for row in rows
    }


def report(survey: Survey) -> dict:
    minimum = settings.STEMME_SMALL_CELL
    responses = SurveyResponse.objects.filter(survey=survey).count()
    totals = _figures(survey, None)
    by_age = _figures(survey, "age_group")
    by_living = _figures(survey, "living")
    questions = []
    for key, text in QUESTIONS:
        total = totals.get((key, None)) or Figure(0, None)
        suppress([total], minimum)
        ages = [
            (label, by_age.get((key, value)) or Figure(0, None))
            for value, label in AgeGroup.choices
        ]
        living = [
            (label, by_living.get((key, value)) or Figure(0, None))
            for value, label in Living.choices
        ]
        suppress([figure for _label, figure in ages], minimum)
        suppress([figure for _label, figure in living], minimum)
        questions.append(QuestionReport(text, total, ages, living))
    return {
        "responses": responses,
        "enough": responses >= minimum,
        "minimum": minimum,
        "questions": questions,
    }
