"""Which conversation tools fit the child's age."""

from conversations.models import Tool

# Under 6 the child is observed, not interviewed: structured observation (what the child
# showed, did and said, and where), and the child's drawings.
OBSERVATION_BELOW_AGE = 6


def tools_for_age(age: int) -> list[str]:
    if age < OBSERVATION_BELOW_AGE:
        return [Tool.OBSERVATION, Tool.DRAWING]
    return [Tool.THREE_HOUSES, Tool.SCALE, Tool.NETWORK_MAP, Tool.DRAWING]
