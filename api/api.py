"""The JSON API for the municipality's case system (django-ninja; the OpenAPI document is
served at /api/v1/openapi.json). Clients authenticate with a bearer token of their own; every
read of a child's data goes through the access helper (`children_visible_to`) as the client's
service user and is written to the access log. Every refusal is an RFC 9457 problem
(application/problem+json)."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, JsonResponse
from django.utils import timezone
from ninja import Field, NinjaAPI, Query, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer
from pydantic import ConfigDict

from access.policy import children_visible_to
from accounts.models import Role, User
from api.models import ApiToken, token_digest
from audit.models import AccessAction, AccessBasis
from audit.services import access_record
from cases import services as case_services
from cases.models import Child, Decision
from conversations.models import Conversation, Statement, Visibility
from core.services import save_recorded

MAX_LIMIT = 500


class ClientToken(HttpBearer):
    def authenticate(self, request, token):
        found = (
            ApiToken.objects.select_related("client__user", "client__municipality")
            .filter(digest=token_digest(token))
            .first()
        )
        if found is None or not found.is_usable():
            return None
        request.user = found.client.user
        return found.client


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
def _not_found(request, exc):
    return problem(request, 404, "Not found.")


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return problem(request, 403, "Not allowed.")


@api.exception_handler(RequestDataTooBig)
def _too_big(request, exc):
    return problem(request, 413, "The request is too large.")


@api.exception_handler(DjangoValidationError)
def _refused(request, exc):
    return problem(
        request,
        422,
        "The request is not valid.",
        errors=[{"loc": [k], "msg": " ".join(v)} for k, v in exc.message_dict.items()]
        if hasattr(exc, "error_dict")
        else [{"loc": [], "msg": " ".join(exc.messages)}],
    )


@api.exception_handler(HttpError)
def _http_error(request, exc):
    return problem(request, exc.status_code, str(exc))


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class ChildIn(Strict):
    cpr: str = Field(..., min_length=10, max_length=11, description="DDMMYY-NNNN or 10 digits")
    first_name: str = Field(..., min_length=1, max_length=100)
    last_name: str = Field(..., min_length=1, max_length=100)
    preferred_name: str = Field("", max_length=100)
    languages: str = Field("", max_length=200)
    caseworker: str = Field(
        ..., min_length=1, max_length=150, description="The fixed caseworker's username"
    )


class ChildOut(Schema):
    id: int
    external_id: str
    first_name: str
    last_name: str
    birth_date: date
    updated_at: datetime


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


class Paging(Schema):
    changed_since: datetime | None = None
    offset: int = Field(0, ge=0)
    limit: int = Field(100, ge=1, le=MAX_LIMIT)


def _page(request, queryset, paging: Paging, record: str):
    """One page of `queryset` (changed since, oldest change first), each child on it logged."""
    if paging.changed_since is not None:
        when = paging.changed_since
        if timezone.is_naive(when):
            when = timezone.make_aware(when)
        queryset = queryset.filter(updated_at__gt=when)
    total = queryset.count()
    items = list(
        queryset.order_by("updated_at", "pk")[paging.offset : paging.offset + paging.limit]
    )

    def child_of(item):
        if isinstance(item, Child):
            return item
        return item.child if hasattr(item, "child_id") else item.case.child

    for child in {child_of(item) for item in items}:
        access_record(
            user=request.user,
            action=AccessAction.VIEW,
            child=child,
            record=record,
            basis=AccessBasis.CASE_SYSTEM,
            purpose="Sagssystemet henter til journalisering",
            path=request.path,
        )
    more = paging.offset + len(items) < total
    return total, items, (paging.offset + len(items) if more else None)


@api.put("/children/{external_id}", response={200: ChildOut, 201: ChildOut}, tags=["children"])
def child_upsert(request, external_id: str, payload: ChildIn):
    """Create or update a child by the case system's id (idempotent: the same call twice
    changes nothing the second time)."""
    if not external_id.strip() or len(external_id) > 100:
        raise HttpError(422, "The case system's id must be 1-100 characters.")
    client = request.auth
    existing = children_visible_to(request.user).filter(external_id=external_id).first()
    if (
        existing is None
        and Child.all_objects.filter(
            external_id=external_id, municipality=client.municipality
        ).exists()
    ):
        raise Http404  # removed: never recreated silently
    with transaction.atomic():
        if existing is None:
            caseworker = User.objects.filter(
                username=payload.caseworker,
                municipality=client.municipality,
                role=Role.CASEWORKER,
                is_active=True,
            ).first()
            if caseworker is None:
                raise DjangoValidationError({"caseworker": ["No such caseworker here."]})
            try:
                child = case_services.child_create(
                    actor=request.user,
                    municipality=client.municipality,
                    cpr=payload.cpr,
                    first_name=payload.first_name,
                    last_name=payload.last_name,
                    preferred_name=payload.preferred_name,
                    languages=payload.languages,
                    caseworker=caseworker,
                )
            except IntegrityError as clash:
                raise DjangoValidationError({"cpr": ["Already registered."]}) from clash
            child.external_id = external_id
            save_recorded(child, actor=request.user)
            status = 201
        else:
            child = existing
            wanted = {
                name: getattr(payload, name).strip()
                for name in ("first_name", "last_name", "preferred_name", "languages")
            }
            if any(getattr(child, name) != value for name, value in wanted.items()):
                for name, value in wanted.items():
                    setattr(child, name, value)
                save_recorded(child, actor=request.user)
            status = 200
    access_record(
        user=request.user,
        action=AccessAction.CHANGE,
        child=child,
        record="api:child",
        basis=AccessBasis.CASE_SYSTEM,
        path=request.path,
    )
    return Status(status, child)


@api.get("/children", response=ChildrenPage, tags=["children"])
def children(request, paging: Query[Paging]):
    """The municipality's children, changed since a moment, oldest change first."""
    queryset = children_visible_to(request.user)
    total, items, next_offset = _page(request, queryset, paging, "api:children")
    return {"count": total, "next_offset": next_offset, "items": items}


@api.get("/decisions", response=DecisionsPage, tags=["records"])
def decisions(request, paging: Query[Paging]):
    """Final decisions with the child's view and the explanation to the child, for filing."""
    queryset = Decision.objects.filter(
        case__child__in=children_visible_to(request.user), finalised_at__isnull=False
    ).select_related("case__child")
    total, items, next_offset = _page(request, queryset, paging, "api:decisions")
    return {
        "count": total,
        "next_offset": next_offset,
        "items": [
            {
                "id": d.pk,
                "child_external_id": d.case.child.external_id,
                "decided_on": d.decided_on,
                "subject": d.subject,
                "made_final_at": d.finalised_at,
                "childs_view": d.childs_view,
                "how_weighed": d.how_weighed,
                "explanation_for_child": d.explanation_for_child,
                "child_told_on": d.child_told_on,
                "updated_at": d.updated_at,
            }
            for d in items
        ],
    }


# What the child said only for when they agree later never leaves Stemme.
FILED_VISIBILITY = (Visibility.EVERYONE, Visibility.NOT_PARENTS, Visibility.STAFF_ONLY)


@api.get("/conversations", response=ConversationsPage, tags=["records"])
def conversations(request, paging: Query[Paging]):
    """Conversations with the child's statements in their own words, as far as their
    visibility allows filing."""
    queryset = Conversation.objects.filter(
        child__in=children_visible_to(request.user)
    ).select_related("child")
    total, items, next_offset = _page(request, queryset, paging, "api:conversations")
    statements: dict[int, list] = {}
    for statement in Statement.objects.filter(
        conversation__in=[c.pk for c in items], visibility__in=FILED_VISIBILITY
    ).order_by("pk"):
        statements.setdefault(statement.conversation_id, []).append(
            {"text": statement.text, "visibility": statement.visibility}
        )
    return {
        "count": total,
        "next_offset": next_offset,
        "items": [
            {
                "id": c.pk,
                "child_external_id": c.child.external_id,
                "kind": c.kind,
                "status": c.status,
                "planned_at": c.planned_at,
                "held_at": c.held_at,
                "summary_to_child": c.summary_to_child,
                "statements": statements.get(c.pk, []),
                "updated_at": c.updated_at,
            }
            for c in items
        ],
    }
