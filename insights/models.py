"""The municipality's self-assessment against the seven recommendations of Partnerskab om
Børnene Først (2023): leaders score statements about their practice, repeated over time, so the
seventh outcome of Bedre Børneinddragelse — the municipality keeps developing how it involves
children — has a number and a history."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Municipality
from core.models import KeptRecord

# Each recommendation with statements in Stemme's own wording; a leader answers how far each
# holds today. Keys are stable: answers are stored by key, the wording may be improved.
RECOMMENDATIONS = [
    (
        1,
        _("A shared view of children across the whole children's area"),
        [
            (
                "1a",
                _(
                    "Schools, day care, health visitors and the authority share one written view "
                    "of the child as a competent person with their own views."
                ),
            ),
            (
                "1b",
                _("New staff in every part of the children's area are introduced to that view."),
            ),
        ],
    ),
    (
        2,
        _("An organisation that makes involving the child possible"),
        [
            ("2a", _("Caseloads leave time to meet each child before every decision.")),
            (
                "2b",
                _(
                    "Each child keeps one fixed caseworker, and changes are handed over in a "
                    "meeting with the child."
                ),
            ),
        ],
    ),
    (
        3,
        _("A clear frame and an ongoing dialogue with the child about involvement"),
        [
            (
                "3a",
                _(
                    "Children are told why we meet, what we can and cannot decide, and what "
                    "happens with what they say."
                ),
            ),
            (
                "3b",
                _("Children are told they may bring a support person (bisidder) and can complain."),
            ),
        ],
    ),
    (
        4,
        _("A trusting relationship between the child and the caseworker"),
        [
            (
                "4a",
                _(
                    "Caseworkers meet children where the child feels safe and take the time the "
                    "child needs."
                ),
            ),
            (
                "4b",
                _(
                    "We ask children after meetings whether they felt listened to and act on the "
                    "answers."
                ),
            ),
        ],
    ),
    (
        5,
        _("Ways of communicating fitted to each child"),
        [
            (
                "5a",
                _("Conversations use tools and language fitted to the child's age and abilities."),
            ),
            (
                "5b",
                _("Decisions and plans are explained to the child in words the child understands."),
            ),
        ],
    ),
    (
        6,
        _("Parents and network help uncover the child's perspective"),
        [
            (
                "6a",
                _("Parents and network are asked how they see the child's situation and wishes."),
            ),
            ("6b", _("The child decides, as far as possible, who from the network takes part.")),
        ],
    ),
    (
        7,
        _("The child's perspective in decisions and what is done"),
        [
            ("7a", _("Every decision says what the child wished and how it was weighed.")),
            ("7b", _("Children are told what became of their wishes ('you said – we did').")),
        ],
    ),
]

STATEMENTS = {
    key: (number, text) for number, _name, items in RECOMMENDATIONS for key, text in items
}
TOP_SCORE = 4


class Agreement(models.IntegerChoices):
    NOT_AT_ALL = 0, _("Not at all")
    A_LITTLE = 1, _("A little")
    PARTLY = 2, _("Partly")
    LARGELY = 3, _("Largely")
    FULLY = 4, _("Fully")


class SelfAssessment(KeptRecord):
    """One round of the self-assessment, answered by a leader on behalf of the municipality."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="self_assessments",
        verbose_name=_("municipality"),
    )
    carried_out_on = models.DateField(_("carried out"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("what we will work on next"), blank=True)
    # 0-100: the average agreement over all statements; stored so the indicator is one query.
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MaxValueValidator(100)], default=0
    )

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        ordering = ["-carried_out_on", "-pk"]
        indexes = [models.Index(fields=["municipality", "carried_out_on"])]

    def __str__(self):
        return f"{self._meta.verbose_name} {self.carried_out_on:%d.%m.%Y}"

    def scores_by_recommendation(self) -> dict[int, int]:
        """{recommendation number: 0-100} from this round's answers."""
        sums: dict[int, list[int]] = {}
        for answer in self.answers.all():
            number = STATEMENTS.get(answer.statement, (None,))[0]
            if number is not None:
                sums.setdefault(number, []).append(answer.agreement)
        return {n: round(100 * sum(v) / (TOP_SCORE * len(v))) for n, v in sums.items()}


class SelfAssessmentAnswer(KeptRecord):
    assessment = models.ForeignKey(SelfAssessment, on_delete=models.PROTECT, related_name="answers")
    statement = models.CharField(_("statement"), max_length=10)
    agreement = models.PositiveSmallIntegerField(_("how far it holds"), choices=Agreement.choices)
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "statement"], name="self_assessment_statement_once"
            )
        ]

    def __str__(self):
        return f"{self.statement}: {self.agreement}"


class DashboardSnapshot(models.Model):
    """A dashboard's figures as last computed, so a municipality's dashboard reads one row
    instead of aggregating millions; refreshed in the background when older than
    STEMME_INSIGHTS_MAX_AGE_MINUTES and by `manage.py insights_refresh`. A cache of derived
    numbers (no child's data), so it is overwritten in place."""

    key = models.CharField(max_length=200, unique=True)
    computed_at = models.DateTimeField()
    refresh_queued_at = models.DateTimeField(null=True, blank=True)
    data = models.JSONField(default=dict)

    def __str__(self):
        return self.key
