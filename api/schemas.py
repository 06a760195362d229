"""What the API accepts and returns. Every input model refuses unknown fields, NUL characters
and dates outside 1900-2100, so that nothing the case system sends can reach the database as
something it would choke on."""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict, model_validator

from cases.models import EndKind, MeasureKind, Relation

MAX_LIMIT = 500
MAX_BATCH = 500
EARLIEST, LATEST = date(1900, 1, 1), date(2100, 12, 31)


def _in_range(value: date) -> date:
    if not EARLIEST <= value <= LATEST:
        raise ValueError("The date must lie between 1900 and 2100.")
    return value


Day = Annotated[date, AfterValidator(_in_range)]


def _moment_in_range(value: datetime) -> datetime:
    """A moment between 1900 and 2100, in UTC: Python accepts offsets up to ±23:59 that
    PostgreSQL refuses (e.g. -22:15), so the database only ever sees UTC."""
    _in_range(value.date())
    return value.astimezone(UTC) if value.tzinfo is not None else value


Moment = Annotated[datetime, AfterValidator(_moment_in_range)]
ExternalId = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[^\x00-\x1f]+$")]


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, data):
        if isinstance(data, dict):
            for name, value in data.items():
                if isinstance(value, str) and "\x00" in value:
                    raise ValueError(f"{name}: NUL characters are not allowed.")
        return data


class ChildIn(Strict):
    cpr: str = Field(
        ...,
        min_length=10,
        max_length=20,
        description="DDMMYY-NNNN: ten digits 0-9; spaces and dashes between them are ignored",
    )
    first_name: str = Field(..., min_length=1, max_length=100)
    last_name: str = Field(..., min_length=1, max_length=100)
    preferred_name: str = Field("", max_length=100)
    languages: str = Field("", max_length=200)
    caseworker: str = Field(
        ..., min_length=1, max_length=150, description="The fixed caseworker's username"
    )


class ChildBatchItem(ChildIn):
    external_id: ExternalId


class ChildBatch(Strict):
    items: list[ChildBatchItem] = Field(..., min_length=1, max_length=MAX_BATCH)


class BatchRow(Schema):
    external_id: str
    id: int
    outcome: str


class BatchOut(Schema):
    created: int
    updated: int
    unchanged: int
    items: list[BatchRow]


class ChildOut(Schema):
    id: int
    external_id: str
    first_name: str
    last_name: str
    birth_date: date
    updated_at: datetime


class CaseIn(Strict):
    opened_on: Day
    closed_on: Day | None = None
    closing_note: str = Field("", max_length=5000)


class CaseOut(Schema):
    id: int
    external_id: str
    opened_on: date
    closed_on: date | None
    outcome: str


def case_ref():
    return Field(None, description="The case's id in the case system; the open case if left out")


class MeasureIn(Strict):
    """A support measure; the placement kinds (foster care, kinship care, institution, own
    room) are placements out of home, with where and how they ended."""

    kind: MeasureKind
    started_on: Day
    place: str = Field("", max_length=200)
    planned_end_on: Day | None = None
    ended_on: Day | None = None
    end_kind: EndKind | None = None
    case: ExternalId | None = case_ref()


class ConcernReportIn(Strict):
    """A report of concern (underretning); one about violence or abuse makes a conversation
    with the child due (Barnets lov § 137)."""

    received_on: Day
    source: str = Field("", max_length=200)
    concerns_abuse: bool = False
    summary: str = Field("", max_length=10000)
    case: ExternalId | None = case_ref()


class AssessmentIn(Strict):
    """The child-professional assessment; its deadline follows from when the need became
    known (Barnets lov § 20)."""

    need_known_on: Day
    completed_on: Day | None = None
    case: ExternalId | None = case_ref()


class DecisionIn(Strict):
    """A decision, a draft in Stemme until the child's view is recorded and it is made final
    there (Barnets lov § 5)."""

    decided_on: Day
    subject: str = Field(..., min_length=1, max_length=300)
    measure: ExternalId | None = Field(None, description="The measure's id, if about one")
    without_consent: bool = False
    case: ExternalId | None = case_ref()


class FollowUpIn(Strict):
    due_on: Day
    held_on: Day | None = None
    note: str = Field("", max_length=300)
    case: ExternalId | None = case_ref()


class CourseOut(Schema):
    id: int
    external_id: str
    outcome: str


class NetworkIn(Strict):
    name: str = Field(..., min_length=1, max_length=200)
    relation: Relation
    relation_detail: str = Field("", max_length=100)
    holds_custody: bool = False
    phone: str = Field("", max_length=30)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=300)
    birth_date: Day | None = None


class NetworkOut(Schema):
    id: int
    external_id: str
    name: str
    relation: str
    outcome: str


class CaseworkerIn(Strict):
    caseworker: str = Field(..., min_length=1, max_length=150, description="A username")
    overlap_until: Day | None = Field(
        None, description="When a change starts a handover: the overlap's last day"
    )


class CaseworkerOut(Schema):
    caseworker: str
    outcome: str = Field(
        ..., description="created, unchanged, or handover_started (completed in Stemme)"
    )


class Page(Schema):
    count: int
    next_offset: int | None
    items: list


class ChildrenPage(Page):
    items: list[ChildOut]


class DecisionOut(Schema):
    id: int
    child_external_id: str
    decided_on: date
    subject: str
    made_final_at: datetime | None
    childs_view: str
    how_weighed: str
    explanation_for_child: str
    child_told_on: date | None
    updated_at: datetime


class DecisionsPage(Page):
    items: list[DecisionOut]


class StatementOut(Schema):
    text: str
    visibility: str


class ConversationOut(Schema):
    id: int
    child_external_id: str
    kind: str
    status: str
    planned_at: datetime
    held_at: datetime | None
    summary_to_child: str
    statements: list[StatementOut]
    updated_at: datetime


class ConversationsPage(Page):
    items: list[ConversationOut]


class GoalOut(Schema):
    childs_words: str
    professional_goal: str
    target_date: date


class PlanOut(Schema):
    id: int
    child_external_id: str
    kind: str
    adopted_on: date | None
    next_review_on: date
    goals: list[GoalOut]
    version_for_child: str
    child_agrees: bool | None
    child_disagrees_because: str
    updated_at: datetime


class PlansPage(Page):
    items: list[PlanOut]


class AnswerOut(Schema):
    position: int
    outcome: str
    value: int | None
    on_0_to_10: Decimal | None


class FeedbackOut(Schema):
    id: int
    child_external_id: str
    conversation_id: int | None
    instrument: str
    version: int
    respondent: str
    declined: bool
    score: Decimal | None = Field(None, description="The mean on the common 0-10 scale")
    answers: list[AnswerOut]
    updated_at: datetime = Field(..., description="When the answer was completed")


class FeedbackPage(Page):
    items: list[FeedbackOut]


class Paging(Schema):
    changed_since: Moment | None = None
    offset: int = Field(0, ge=0, le=10**9)
    limit: int = Field(100, ge=1, le=MAX_LIMIT)
