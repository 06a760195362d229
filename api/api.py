"""The JSON API for the municipality's case system (django-ninja; the OpenAPI document is
served at /api/v1/openapi.json). Clients authenticate with a bearer token of their own; every
read of a child's data goes through the access helper (`children_visible_to`) as the client's
service user and is written to the access log. Every refusal is an RFC 9457 problem
(application/problem+json)."""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import Http404, JsonResponse
from django.utils import timezone
from ninja import NinjaAPI, Query, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from access.policy import children_visible_to
from api import schemas, upserts
from api.models import ApiToken, token_digest
from audit.models import AccessAction, AccessBasis
from audit.services import access_record, access_record_many
from cases.models import Assessment, Child, ConcernReport, Decision, FollowUp, Measure
from cases.services import CPR_TAKEN
from conversations.models import Conversation, Statement, Visibility
from feedback.models import FeedbackResponse, ItemAnswer
from plans.models import ChildPlan, PlanGoal


class ClientToken(HttpBearer):
    def authenticate(self, request, token):
        found = (
            ApiToken.objects.select_related("client__user", "client__municipality")
            .filter(digest=token_digest(token))
            .first()
        )
        if found is None or not found.is_usable():
            return None
        client = found.client
        wanted = "read" if request.method in ("GET", "HEAD", "OPTIONS") else "write"
        if wanted not in client.scopes.split():
            raise PermissionDenied
        request.user = client.user
        return client


api = NinjaAPI(
    title="Stemme API",
    version="1",
    description="For the municipality's case system: children in, the child's voice out.",
    urls_namespace="api",
    auth=ClientToken(),
    docs_url=None,  # the interactive docs load scripts from the internet; the document is enough
)


def problem(request, status: int, title: str, detail: str = "", **extra) -> JsonResponse:
    """An RFC 9457 problem."""
    body = {"type": "about:blank", "title": title, "status": status, **extra}
    if detail:
        body["detail"] = detail
    body["instance"] = request.path
    return JsonResponse(body, status=status, content_type="application/problem+json")


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc):
    errors = [
        {"loc": [str(part) for part in error.get("loc", [])], "msg": str(error.get("msg", ""))}
        for error in exc.errors
    ]
    return problem(request, 422, "The request is not valid.", errors=errors)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return problem(
        request, 401, "Not authenticated.", "Send a valid, unrevoked token as a Bearer token."
    )


@api.exception_handler(Http404)
@api.exception_handler(ObjectDoesNotExist)
def _not_found(request, exc):
    return problem(request, 404, "Not found.")


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return problem(request, 403, "Not allowed.", "This client's token may not do this.")


@api.exception_handler(RequestDataTooBig)
def _too_big(request, exc):
    return problem(request, 413, "The request is too large.")


@api.exception_handler(DjangoValidationError)
def _refused(request, exc):
    errors = (
        [error for listed in exc.error_dict.values() for error in listed]
        if hasattr(exc, "error_dict")
        else exc.error_list
    )
    conflict = any(error.code == CPR_TAKEN for error in errors)  # valid, but already there
    return problem(
        request,
        409 if conflict else 422,
        "A child with this CPR number is already registered."
        if conflict
        else "The request is not valid.",
        errors=[{"loc": [k], "msg": " ".join(v)} for k, v in exc.message_dict.items()]
        if hasattr(exc, "error_dict")
        else [{"loc": [], "msg": " ".join(exc.messages)}],
    )


@api.exception_handler(HttpError)
def _http_error(request, exc):
    return problem(request, exc.status_code, str(exc))


PURPOSE = "Sagssystemet henter til journalisering"


def _log_change(request, child: Child, record: str) -> None:
    access_record(
        user=request.user,
        action=AccessAction.CHANGE,
        child=child,
        record=record,
        basis=AccessBasis.CASE_SYSTEM,
        path=request.path,
    )


def _page(request, queryset, paging: schemas.Paging, record: str, changed_field="updated_at"):
    """One page of `queryset` (changed since, oldest change first), each child on it logged."""
    if paging.changed_since is not None:
        when = paging.changed_since
        if timezone.is_naive(when):
            when = timezone.make_aware(when)
        queryset = queryset.filter(**{f"{changed_field}__gt": when})
    total = queryset.count()
    items = list(
        queryset.order_by(changed_field, "pk")[paging.offset : paging.offset + paging.limit]
    )
    children = {_child_of(item) for item in items}
    access_record_many(
        user=request.user,
        action=AccessAction.VIEW,
        children=sorted(children, key=lambda child: child.pk),
        record=record,
        basis=AccessBasis.CASE_SYSTEM,
        purpose=PURPOSE,
        path=request.path,
    )
    more = paging.offset + len(items) < total
    return total, items, (paging.offset + len(items) if more else None)


def _child_of(item) -> Child:
    if isinstance(item, Child):
        return item
    return item.case.child if isinstance(item, Decision) else item.child


def _valid_id(external_id: str) -> str:
    if not external_id.strip() or len(external_id) > 100 or not external_id.isprintable():
        raise HttpError(422, "The case system's id must be 1-100 printable characters.")
    return external_id


def _write_for_child(request, child_external_id: str, record: str, write):
    """Find the child through the access helper, write one of its records with `write(child)`
    and log the change, in one transaction; returns what `write` returned."""
    with transaction.atomic():
        found = _child(request, child_external_id)
        written = write(found)
        _log_change(request, found, record)
    return written


def _child(request, child_external_id: str) -> Child:
    """The child by the case system's id, through the access helper: another municipality's
    child is not found, exactly like one that does not exist."""
    return upserts.require_child(request.user, _valid_id(child_external_id))


# --- Writes: the case system's records, keyed on its own ids ---------------------------------


@api.put(
    "/children/{external_id}",
    response={200: schemas.ChildOut, 201: schemas.ChildOut},
    tags=["children"],
)
def child_upsert(request, external_id: str, payload: schemas.ChildIn):
    """Create or update a child by the case system's id (idempotent: the same call twice
    changes nothing the second time). A new child gets an open case and its fixed caseworker."""
    child, outcome = upserts.child_upsert(
        actor=request.user, external_id=_valid_id(external_id), **payload.dict()
    )
    _log_change(request, child, "api:child")
    return Status(201 if outcome == upserts.CREATED else 200, child)


@api.post("/batches/children", response=schemas.BatchOut, tags=["children"])
def children_batch(request, payload: schemas.ChildBatch):
    """Up to 500 children in one call, all or nothing: if any is refused, none is written and
    the problem names every refused item."""
    results = upserts.children_upsert_batch(
        actor=request.user, rows=[item.dict() for item in payload.items]
    )
    errors = [
        {"loc": ["items", result.index, field], "msg": message}
        for result in results
        for field, message in result.errors
    ]
    if errors:
        # 409 when every refused item is refused only for a CPR number Stemme already has.
        conflict = all(
            result.cpr_taken and len(result.errors) == 1 for result in results if result.errors
        )
        return problem(
            request,
            409 if conflict else 422,
            "Some items were refused; nothing was written.",
            errors=errors,
        )
    children = [result.record for result in results]
    access_record_many(
        user=request.user,
        action=AccessAction.CHANGE,
        children=children,
        record="api:child",
        basis=AccessBasis.CASE_SYSTEM,
        path=request.path,
    )
    counts = {outcome: 0 for outcome in (upserts.CREATED, upserts.UPDATED, upserts.UNCHANGED)}
    for result in results:
        counts[result.outcome] += 1
    return {
        **counts,
        "items": [
            {"external_id": r.record.external_id, "id": r.record.pk, "outcome": r.outcome}
            for r in results
        ],
    }


@api.put("/children/{child}/cases/{external_id}", response=schemas.CaseOut, tags=["course"])
def case_upsert(request, child: str, external_id: str, payload: schemas.CaseIn):
    """A case of the child, by the case system's id; closing it needs a closing note."""
    case, outcome = _write_for_child(
        request,
        child,
        "api:case",
        lambda found: upserts.case_upsert(
            actor=request.user, child=found, external_id=_valid_id(external_id), **payload.dict()
        ),
    )
    return {**_fields(case, "id", "external_id", "opened_on", "closed_on"), "outcome": outcome}


def _course_route(kind: str, model, schema_in, doc: str):
    """PUT /children/{child}/<kind>/{external_id}: one entry of the case's course."""

    def upsert(request, child: str, external_id: str, payload: schema_in):
        fields = payload.dict()
        case_external_id = fields.pop("case") or ""
        if "end_kind" in fields:
            fields["end_kind"] = fields["end_kind"] or ""

        def write(found):
            if model is Decision:
                fields["measure"] = upserts.measure_of(found, fields["measure"])
            return upserts.course_entry_upsert(
                actor=request.user,
                child=found,
                model=model,
                external_id=_valid_id(external_id),
                case_external_id=case_external_id,
                **fields,
            )

        entry, outcome = _write_for_child(request, child, f"api:{kind}", write)
        return {"id": entry.pk, "external_id": entry.external_id, "outcome": outcome}

    upsert.__doc__ = doc
    name = kind.replace("-", "_")
    api.put(
        f"/children/{{child}}/{kind}/{{external_id}}",
        response=schemas.CourseOut,
        tags=["course"],
        operation_id=f"{name}_upsert",
        url_name=f"{name}_upsert",
    )(upsert)


_course_route(
    "concern-reports",
    ConcernReport,
    schemas.ConcernReportIn,
    "A report of concern by the case system's id; one about violence or abuse makes a "
    "conversation with the child due (§ 137).",
)
_course_route(
    "assessments",
    Assessment,
    schemas.AssessmentIn,
    "A child-professional assessment; its § 20 deadline follows from when the need was known.",
)
_course_route(
    "measures",
    Measure,
    schemas.MeasureIn,
    "A measure or placement (the kinds foster_care, kinship_care, institution and own_room are "
    "placements). Recording a placement's end ends the carers' access to the life book with it.",
)
_course_route(
    "decisions",
    Decision,
    schemas.DecisionIn,
    "A decision, a draft until the child's view is recorded and it is made final in Stemme; a "
    "final decision is not changed by the case system.",
)
_course_route(
    "follow-ups", FollowUp, schemas.FollowUpIn, "A follow-up of the case or a measure (§§ 95-96)."
)


@api.put("/children/{child}/network/{external_id}", response=schemas.NetworkOut, tags=["network"])
def network_upsert(request, child: str, external_id: str, payload: schemas.NetworkIn):
    """A person in the child's network (parent, sibling, carer, school, bisidder)."""
    member, outcome = _write_for_child(
        request,
        child,
        "api:network",
        lambda found: upserts.network_member_upsert(
            actor=request.user, child=found, external_id=_valid_id(external_id), **payload.dict()
        ),
    )
    return {**_fields(member, "id", "external_id", "name", "relation"), "outcome": outcome}


@api.put("/children/{child}/caseworker", response=schemas.CaseworkerOut, tags=["children"])
def caseworker_put(request, child: str, payload: schemas.CaseworkerIn):
    """The child's fixed caseworker. A different caseworker than today's starts a handover
    (with an overlap), which the caseworkers complete in Stemme."""
    _record, outcome = _write_for_child(
        request,
        child,
        "api:caseworker",
        lambda found: upserts.caseworker_assign(actor=request.user, child=found, **payload.dict()),
    )
    return {"caseworker": payload.caseworker, "outcome": outcome}


def _fields(record, *names) -> dict:
    return {name: getattr(record, name) for name in names}


# --- Reads: the child's voice, for filing in the case system --------------------------------


def _listing(page: tuple, names: tuple, **computed) -> dict:
    """A page of records as the API answers it: the named fields of each, the child's id in the
    case system, and any `computed` values (a function of the record each)."""
    total, items, next_offset = page
    return {
        "count": total,
        "next_offset": next_offset,
        "items": [
            {
                **_fields(item, *names),
                "child_external_id": _child_of(item).external_id,
                **{key: value(item) for key, value in computed.items()},
            }
            for item in items
        ],
    }


def _grouped(queryset, key: str, names: tuple) -> dict[int, list]:
    """The named fields of related records, listed per parent (one query for a whole page)."""
    grouped: dict[int, list] = {}
    for record in queryset.order_by("pk"):
        grouped.setdefault(getattr(record, key), []).append(_fields(record, *names))
    return grouped


@api.get("/children", response=schemas.ChildrenPage, tags=["children"])
def children(request, paging: Query[schemas.Paging]):
    """The municipality's children, changed since a moment, oldest change first."""
    queryset = children_visible_to(request.user)
    page = _page(request, queryset, paging, "api:children")
    return _listing(
        page, ("id", "external_id", "first_name", "last_name", "birth_date", "updated_at")
    )


@api.get("/decisions", response=schemas.DecisionsPage, tags=["records"])
def decisions(request, paging: Query[schemas.Paging]):
    """Final decisions with the child's view and the explanation to the child, for filing."""
    queryset = Decision.objects.filter(
        case__child__in=children_visible_to(request.user), finalised_at__isnull=False
    ).select_related("case__child")
    page = _page(request, queryset, paging, "api:decisions")
    names = (
        "id",
        "decided_on",
        "subject",
        "childs_view",
        "how_weighed",
        "explanation_for_child",
        "child_told_on",
        "updated_at",
    )
    return _listing(page, names, made_final_at=lambda d: d.finalised_at)


# What the child said only for when they agree later never leaves Stemme.
FILED_VISIBILITY = (Visibility.EVERYONE, Visibility.NOT_PARENTS, Visibility.STAFF_ONLY)


@api.get("/conversations", response=schemas.ConversationsPage, tags=["records"])
def conversations(request, paging: Query[schemas.Paging]):
    """Conversations with the child's statements in their own words, as far as their
    visibility allows filing."""
    queryset = Conversation.objects.filter(
        child__in=children_visible_to(request.user)
    ).select_related("child")
    page = _page(request, queryset, paging, "api:conversations")
    statements = _grouped(
        Statement.objects.filter(
            conversation__in=[c.pk for c in page[1]], visibility__in=FILED_VISIBILITY
        ),
        "conversation_id",
        ("text", "visibility"),
    )
    names = ("id", "kind", "status", "planned_at", "held_at", "summary_to_child", "updated_at")
    return _listing(page, names, statements=lambda c: statements.get(c.pk, []))


@api.get("/plans", response=schemas.PlansPage, tags=["records"])
def plans(request, paging: Query[schemas.Paging]):
    """The child's plans with the child's own goals beside the professional ones, the version
    for the child and whether the child agrees."""
    queryset = ChildPlan.objects.filter(child__in=children_visible_to(request.user)).select_related(
        "child"
    )
    page = _page(request, queryset, paging, "api:plans")
    goals = _grouped(
        PlanGoal.objects.filter(plan__in=[p.pk for p in page[1]]),
        "plan_id",
        ("childs_words", "professional_goal", "target_date"),
    )
    names = (
        "id",
        "kind",
        "adopted_on",
        "next_review_on",
        "version_for_child",
        "child_agrees",
        "child_disagrees_because",
        "updated_at",
    )
    return _listing(page, names, goals=lambda p: goals.get(p.pk, []))


@api.get("/feedback", response=schemas.FeedbackPage, tags=["records"])
def feedback(request, paging: Query[schemas.Paging]):
    """The child's completed feedback after meetings: each answer and the score on the common
    0-10 scale, with the instrument version it was given on. `changed_since` counts from when
    the answer was completed."""
    queryset = FeedbackResponse.objects.filter(
        child__in=children_visible_to(request.user), completed_at__isnull=False
    ).select_related("child", "request", "version__instrument")
    page = _page(request, queryset, paging, "api:feedback", changed_field="completed_at")
    answers: dict[int, list] = {}
    for answer in (
        ItemAnswer.objects.filter(response__in=[r.pk for r in page[1]])
        .select_related("item")
        .order_by("item__position")
    ):
        answers.setdefault(answer.response_id, []).append(
            {
                "position": answer.item.position,
                "outcome": answer.item.outcome,
                "value": answer.value,
                "on_0_to_10": answer.normalized,
            }
        )
    return _listing(
        page,
        ("id", "respondent", "declined", "score"),
        conversation_id=lambda r: r.request.conversation_id,
        instrument=lambda r: r.version.instrument.key,
        version=lambda r: r.version.number,
        answers=lambda r: answers.get(r.pk, []),
        updated_at=lambda r: r.completed_at,
    )
