"""The anonymous children's survey: how children experience being heard, in Stemme's own
questions. Leaders make single-use links that caseworkers hand to children; an answer is never
linked to the link, the child or the time of day — only to the survey, a broad age group and
where the child lives — and reports show only groups of at least STEMME_SMALL_CELL answers."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Municipality
from core.models import KeptRecord

# Stemme's own wording; keys are stable, the wording may be improved.
QUESTIONS = [
    ("listened", _("When adults in your case talk with you, do they listen to you?")),
    ("understood", _("Do you understand what is decided about your life?")),
    ("say", _("Do you have a say in what happens to you?")),
    ("wishes", _("Are you told what happened with your wishes?")),
    ("caseworker", _("Do you know who your caseworker is and how to reach them?")),
    ("complain", _("Do you know what you can do if you disagree with a decision?")),
]
QUESTION_TEXT = dict(QUESTIONS)


class AgeGroup(models.TextChoices):
    UNDER_10 = "under_10", _("Under 10")
    FROM_10 = "10_12", _("10 to 12")
    FROM_13 = "13_15", _("13 to 15")
    FROM_16 = "16_plus", _("16 or older")


class Living(models.TextChoices):
    HOME = "home", _("At home")
    FOSTER = "foster", _("With a foster family")
    INSTITUTION = "institution", _("At an institution or in my own room")
    UNSAID = "unsaid", _("I'd rather not say")


class Survey(KeptRecord):
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="surveys",
        verbose_name=_("municipality"),
    )
    title = models.CharField(_("title"), max_length=200)
    opens_on = models.DateField(_("opens"))
    closes_on = models.DateField(_("closes"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-opens_on", "-pk"]

    def __str__(self):
        return self.title

    def is_open(self, today) -> bool:
        """Answers are taken from the day it opens to the day it closes."""
        return self.opens_on <= today <= self.closes_on


class SurveyLink(models.Model):
    """A single-use link for one child; it records only that it was used."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    used_on = models.DateField(null=True, blank=True)

    def __str__(self):
        return f"{self.survey} link"


class SurveyResponse(models.Model):
    """One child's answers: no link, no child, no time of day."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    age_group = models.CharField(_("age"), max_length=10, choices=AgeGroup.choices)
    living = models.CharField(_("where I live"), max_length=12, choices=Living.choices)
    answered_on = models.DateField(_("answered"))
    declined = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["survey", "age_group"], name="survey_response_age")]

    def __str__(self):
        return f"{self.survey} {self.answered_on}"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.PROTECT, related_name="answers")
    question = models.CharField(max_length=20)
    value = models.PositiveSmallIntegerField(null=True, blank=True)  # None: skipped
    normalized = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="survey_answer_once")
        ]

    def __str__(self):
        return f"{self.question}: {self.value}"
