"""Every legal reference Stemme shows or rests on, named once. The rules cite these names; the
table in docs/LAW.md gives each its rule, where it lives in the code and the text it rests on,
and core/test_law.py holds the code, the templates and the translations to that table.

Barnets lov is LBK nr. 282 af 17/03/2025 unless another law is named."""

from dataclasses import dataclass

BARNETS_LOV = "Barnets lov"
RETSSIKKERHEDSLOVEN = "retssikkerhedsloven"
FORVALTNINGSLOVEN = "forvaltningsloven"
OFFENTLIGHEDSLOVEN = "offentlighedsloven"


@dataclass(frozen=True)
class Reference:
    law: str
    section: str  # "§ 156, stk. 5", "§§ 95-96"

    def __str__(self) -> str:
        return f"{self.law} {self.section}"


# Barnets lov
PARTY_FROM_TEN = Reference(BARNETS_LOV, "§ 3")
CHILD_VIEW_BEFORE_DECISION = Reference(BARNETS_LOV, "§ 5")
BISIDDER_RIGHT = Reference(BARNETS_LOV, "§ 6, stk. 1")
BISIDDER_SET_ASIDE = Reference(BARNETS_LOV, "§ 6, stk. 2")
BISIDDER_EXCLUDED = Reference(BARNETS_LOV, "§ 6, stk. 3")
BISIDDER_AGE = Reference(BARNETS_LOV, "§ 6, stk. 4")
ASSESSMENT_DEADLINE = Reference(BARNETS_LOV, "§ 20")
TWO_CASEWORKERS = Reference(BARNETS_LOV, "§ 21")
PLACEMENT_WITH_CONSENT = Reference(BARNETS_LOV, "§ 46")
PLACEMENT_WITHOUT_CONSENT = Reference(BARNETS_LOV, "§ 47")
PLAN_DUE = Reference(BARNETS_LOV, "§ 91")
PLAN_BEFORE_PLACEMENT_WITHOUT_CONSENT = Reference(BARNETS_LOV, "§ 91, stk. 2")
PLAN_CONTENT = Reference(BARNETS_LOV, "§ 92")
FOLLOW_UP = Reference(BARNETS_LOV, "§§ 95-96")
YOUTH_PLAN = Reference(BARNETS_LOV, "§ 108")
ABUSE_CONVERSATION = Reference(BARNETS_LOV, "§ 137")
TOLD_OF_RIGHTS_BEFORE_COMMITTEE_DECISION = Reference(BARNETS_LOV, "§ 141")
COMPLAINTS = Reference(BARNETS_LOV, "§§ 144-150")
SUPERVISION_VISITS = Reference(BARNETS_LOV, "§ 156, stk. 5")

# Other laws
COMPLAINT_DEADLINE = Reference(RETSSIKKERHEDSLOVEN, "§ 67, stk. 1")
ACCESS_TO_OWN_FILE = Reference(FORVALTNINGSLOVEN, "§ 9")
WITHHELD_FROM_FILE = Reference(FORVALTNINGSLOVEN, "§§ 15-15 b")
ORAL_STATEMENTS_NOTED = Reference(OFFENTLIGHEDSLOVEN, "§ 13")

ALL = [value for value in dict(globals()).values() if isinstance(value, Reference)]
