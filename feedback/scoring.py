"""Scores and alert rules, as pure functions (property-tested with Hypothesis).

Faces run 1-5 for the youngest, the scale 0-10 for older children; both map onto one common
0-10 scale so that trends, alerts and team numbers compare like with like.
"""

from decimal import ROUND_HALF_UP, Decimal

from feedback.models import AlertKind, Scale

RANGES = {Scale.FACES: range(1, 6), Scale.SLIDER: range(0, 11)}
TWO_PLACES = Decimal("0.01")


def scale_for_age(age: int, faces_below_age: int) -> str:
    return Scale.FACES if age < faces_below_age else Scale.SLIDER


def is_valid(value: int, scale: str) -> bool:
    return value in RANGES[scale]


def normalize(value: int, scale: str) -> Decimal:
    """The answer on the common 0-10 scale (faces 1-5 become 0, 2.5, 5, 7.5, 10)."""
    if not is_valid(value, scale):
        raise ValueError(f"{value} is outside the {scale} scale")
    if scale == Scale.FACES:
        return (Decimal(value - 1) * Decimal("2.5")).quantize(TWO_PLACES)
    return Decimal(value).quantize(TWO_PLACES)


def score(normalized: list[Decimal | None]) -> Decimal | None:
    """The mean of the answered questions (skipped ones do not count); None if none answered."""
    answered = [value for value in normalized if value is not None]
    if not answered:
        return None
    return (sum(answered) / len(answered)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def alerts(
    current: Decimal | None, previous: Decimal | None, below: Decimal, drop: Decimal
) -> list[str]:
    """Which alerts an answer raises: a score under the cut-off, or a drop of more than the set
    amount since the child's previous answer to the same instrument."""
    if current is None:
        return []
    raised = []
    if current < below:
        raised.append(AlertKind.LOW)
    if previous is not None and previous - current > drop:
        raised.append(AlertKind.DROP)
    return raised
