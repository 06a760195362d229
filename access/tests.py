"""The access rule: who may see which child. Walks every URL of the project, so a new child URL
cannot slip past without being checked."""

import re
from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from access.policy import Need, children_visible_to
from audit.models import AccessAction, AccessEvent
from cases import services as case_services
from cases.models import Measure, MeasureKind
from conftest import (
    make_alert,
    make_child,
    make_conversation,
    make_lifebook_entry,
    make_plan_records,
    make_talk_request,
    make_user,
)
from continuity import services as continuity_services

# URLs that show no child's data. Every other URL must take a child_id and be tested below.
NON_CHILD_URLS = {
    "core:home",
    "accounts:login",
    "accounts:logout",
    "accounts:otp_verify",
    "accounts:otp_setup",
    "accounts:set_password",  # the invitation's one-use token is the key (lifebook/tests.py)
    "cases:start",  # lists only children the access helper returns
    "cases:child_create",
    "continuity:team",  # lists only children the access helper returns
    "cases:find",  # redirects to the child URL, which decides
    "access:break_glass_review",  # leaders only, scoped: tested in test_break_glass_*
    "access:break_glass_acknowledge",
    "audit:log",  # leaders only, scoped: tested in audit/tests.py
    "feedback:answer",  # the child's single-use link: the token is the key (feedback/tests.py)
    "feedback:unlock",  # only ends the locked screen of the signed-in caseworker
    "feedback:team",  # leaders only, aggregated numbers: tested in feedback/tests.py
    "set_language",
    # Insights: numbers only, scoped by role; small cells hidden for the analyst
    # (insights/tests.py). The survey's answers are tied to no child (survey/tests.py).
    "insights:self_assessment",
    "insights:self_assessment_new",
    "insights:export",
    "survey:list",
    "survey:report",
    "survey:links",
    "survey:answer",
    # The person's own file in the portal: the signed-in child's own files only
    # (records/test_person_file.py).
    # The case system's API: a token of its own, a service user read through the same access
    # helper (children_visible_to), every child's record logged (api/tests.py).
    "api:openapi-json",
    "api:api-root",
    "api:child_upsert",
    "api:children",
    "api:decisions",
    "api:conversations",
    "api:children_batch",
    "api:case_upsert",
    "api:measures_upsert",
    "api:concern_reports_upsert",
    "api:assessments_upsert",
    "api:decisions_upsert",
    "api:follow_ups_upsert",
    "api:network_upsert",
    "api:caseworker_put",
    "api:plans",
    "api:feedback",
    # The head of department's bulk import: writes through the API's upserts on the children
    # the head may see, every child written logged; batches of another municipality are not
    # found (api/test_imports.py).
    "imports:start",
    "imports:batch",
    "imports:commit",
    # Reflection on practice: a caseworker's own reflections and practice videos, decided by
    # reflection/access.py (the author, a leader or consultant it is shared with, the video's
    # consultant); never a child's record, and the child is not named (reflection/tests.py).
    "reflection:home",
    "reflection:shared",
    "reflection:video_new",
    "reflection:video",
    "reflection:video_stream",
    "reflection:video_reply",
    "reflection:video_withdraw",
    "reflection:sessions",
    "reflection:session_new",
    "reflection:session",
    "reflection:session_follow_up",
    # Municipal sign-in (OpenID Connect): no child data (accounts/test_oidc.py).
    "oidc_authentication_init",
    "oidc_authentication_callback",
    "oidc_logout",
    "records:my_file",
    "records:my_file_download",
    # The child's portal: no child id in its URLs; each page reads the signed-in child's own
    # case through the access helper, and another child's entries are not found (portal/tests.py)
    "portal:home",
    "portal:login",
    "portal:logout",
    "portal:talk",
    "portal:lifebook",
    "portal:lifebook_add",
    "portal:lifebook_mark",
    "portal:lifebook_comment",
    "portal:lifebook_photo",
    "portal:lifebook_media",
    "portal:caseworker_photo",
    "portal:meeting",
    "portal:feedback",
    "portal:feedback_answer",
    "portal:plan",
    "portal:respond_plan",
    "portal:respond_decision",
    "portal:looked",
    "portal:help",
    "portal:download",
    "portal:book_status",
    "portal:book_download",
    "portal:originals",
    "portal:eid_start",  # MitID: the broker's answer names the person (portal/test_pages.py)
    "portal:eid_standin",
    "portal:eid_callback",
    "insights:dashboard",  # aggregate numbers only, scoped by role (insights/tests.py)
    "accounts:profile",  # the signed-in staff member's own phone, title and photo
    "accounts:profile_photo",
}


def walk(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace == "admin":
                continue  # the admin registers no child data; see test_admin_has_no_child_models
            yield from walk(pattern, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}", pattern


def _person_file(child, caseworker):
    from django.core.files.base import ContentFile

    from records.models import FileStatus, PersonFile

    made = PersonFile.objects.create(child=child, requested_by=caseworker, status=FileStatus.REVIEW)
    made.pdf.save("fil.pdf", ContentFile(b"%PDF-1.4 sample"))
    return made


def kwargs_for(name: str, values: dict) -> dict:
    """Sample arguments for a child URL; `entry_id` means a statement on a conversation's."""
    pattern = dict(walk())[name]
    kwargs = {key: values[key] for key in pattern.pattern.regex.groupindex}
    if name == "conversations:remove":
        kwargs["entry_id"] = values["statement_id"]
    if name == "plans:plan_part":
        kwargs["part"] = "goal"
    if name in ("lifebook:approve", "lifebook:comment"):
        kwargs["entry_id"] = values["lifebook_entry_id"]
    if name == "records:download":
        kwargs["kind"] = "pdf"
    return kwargs


def child_url_names():
    return sorted(name for name, p in walk() if "child_id" in p.pattern.regex.groupindex)


def test_every_url_is_classified():
    unknown = [
        name
        for name, pattern in walk()
        if "child_id" not in pattern.pattern.regex.groupindex and name not in NON_CHILD_URLS
    ]
    assert unknown == [], (
        f"Classify these URLs in NON_CHILD_URLS or give them a child_id: {unknown}"
    )


def test_admin_has_no_child_models():
    from django.contrib import admin

    from cases.models import Child

    registered = {model._meta.app_label for model in admin.site._registry}
    assert Child not in admin.site._registry
    assert "cases" not in registered and "continuity" not in registered


@pytest.fixture
def child_urls(child, caseworker, colleague):
    measure = Measure.objects.create(
        case=child.cases.get(), kind=MeasureKind.FAMILY_SUPPORT, started_on=timezone.localdate()
    )
    handover = continuity_services.handover_start(
        actor=caseworker,
        child=child,
        to_caseworker=colleague,
        overlap_until=timezone.localdate() + timedelta(days=7),
    )
    conversation, statement, drawing = make_conversation(child, caseworker)
    alert = make_alert(child, caseworker)
    plans = make_plan_records(child, caseworker)
    lifebook = make_lifebook_entry(child, caseworker)
    values = {
        **lifebook,
        **plans,
        "child_id": child.pk,
        "handover_id": handover.pk,
        "member_id": child.network.first().pk,
        "kind": "measure",
        "entry_id": measure.pk,
        "conversation_id": conversation.pk,
        "part": "statement",
        "statement_id": statement.pk,
        "tool": "three_houses",
        "tool_id": drawing.pk,
        "alert_id": alert.pk,
        "talk_id": make_talk_request(child).pk,
        "file_id": _person_file(child, caseworker).pk,
    }
    urls = []
    for name in child_url_names():
        urls.append(reverse(name, kwargs=kwargs_for(name, values)))
    assert len(urls) >= 10
    return urls


def test_child_urls_work_for_the_assigned_caseworker(child_urls, caseworker, client_for):
    client = client_for(caseworker)
    for url in child_urls:
        assert client.get(url).status_code != 404, url


@pytest.mark.parametrize(
    "outsider",
    ["foreign_caseworker", "unlinked_contributor", "foster_carer", "analyst", "administrator"],
)
def test_every_child_url_is_404_for_those_without_access(outsider, child_urls, client_for, request):
    client = client_for(request.getfixturevalue(outsider))
    for url in child_urls:
        if outsider == "foster_carer" and "/lifebook/" in url and "/approve/" not in url:
            continue  # the linked foster carer contributes to this child's life book
        assert client.get(url).status_code == 404, f"GET {url}"
        assert client.post(url, {"reason": "x", "name": "x"}).status_code == 404, f"POST {url}"


def test_foreign_child_looks_exactly_like_a_missing_child(child, foreign_caseworker, client_for):
    client = client_for(foreign_caseworker)
    existing = client.get(reverse("cases:child", args=[child.pk]))
    missing = client.get(reverse("cases:child", args=[child.pk + 10_000]))
    assert existing.status_code == missing.status_code == 404
    token = re.compile(rb'name="(csrfmiddlewaretoken|next)" (type="hidden" )?value="[^"]+"')
    assert token.sub(b"", existing.content) == token.sub(b"", missing.content)


# --- The authorization matrix: every child URL x every role x own/other team/other municipality.

ALLOWED, BREAK_GLASS, HIDDEN = "allowed", "break-glass", "hidden"
# Every answer, whatever its outcome, stays out of browsers' and proxies' caches
# (core.middleware.NoStoreMiddleware; pages without a child: access/test_no_store.py).
NO_STORE = "private, no-store"

# actor -> (child of rikke in Team Øst, child of mette in Team Vest, child in another municipality)
MATRIX = {
    "caseworker": (ALLOWED, BREAK_GLASS, HIDDEN),  # rikke, assigned to the Øst child
    "colleague": (BREAK_GLASS, BREAK_GLASS, HIDDEN),  # jonas, same team, not assigned
    "team_leader": (ALLOWED, BREAK_GLASS, HIDDEN),  # hanne leads Team Øst
    "west_leader": (BREAK_GLASS, ALLOWED, HIDDEN),  # peter leads Team Vest
    "head": (ALLOWED, ALLOWED, HIDDEN),
    "administrator": (HIDDEN, HIDDEN, HIDDEN),
    "analyst": (HIDDEN, HIDDEN, HIDDEN),
    "foster_carer": (HIDDEN, HIDDEN, HIDDEN),  # linked to the Øst child: life book only
    "unlinked_contributor": (HIDDEN, HIDDEN, HIDDEN),
    "foreign_caseworker": (HIDDEN, HIDDEN, ALLOWED),  # assigned in the other municipality
}


# The life book's URLs are open to the linked foster carer as well (the need is LIFE_BOOK).
LIFE_BOOK_URLS = {
    "lifebook:timeline",
    "lifebook:add",
    "lifebook:photo",
    "lifebook:attachment",
    "lifebook:comment",
}


def _expected(actor_name: str, want: str, name: str, target_index: int) -> str:
    if name in LIFE_BOOK_URLS and actor_name == "foster_carer" and target_index == 0:
        return ALLOWED
    return want


def _objects_for(child, caseworker, other_caseworker):
    measure = Measure.objects.create(
        case=child.cases.get(), kind=MeasureKind.FAMILY_SUPPORT, started_on=timezone.localdate()
    )
    member = case_services.network_member_add(
        actor=caseworker, child=child, name="Ole", relation="other"
    )
    conversation, statement, drawing = make_conversation(child, caseworker)
    alert = make_alert(child, caseworker)
    plans = make_plan_records(child, caseworker)
    lifebook = make_lifebook_entry(child, caseworker)
    handover = continuity_services.handover_start(
        actor=caseworker,
        child=child,
        to_caseworker=other_caseworker,
        overlap_until=timezone.localdate() + timedelta(days=7),
    )
    return {
        **plans,
        **lifebook,
        "child_id": child.pk,
        "handover_id": handover.pk,
        "member_id": member.pk,
        "kind": "measure",
        "entry_id": measure.pk,
        "conversation_id": conversation.pk,
        "part": "statement",
        "statement_id": statement.pk,
        "tool": "three_houses",
        "tool_id": drawing.pk,
        "alert_id": alert.pk,
        "talk_id": make_talk_request(child).pk,
        "file_id": _person_file(child, caseworker).pk,
    }


def _outcome(response, child_id) -> str:
    if response.status_code == 404:
        return HIDDEN
    location = response.get("Location", "")
    is_open_page = response.wsgi_request.path == f"/children/{child_id}/open/"
    if location.startswith(f"/children/{child_id}/open/") or (
        is_open_page and response.status_code == 403
    ):
        return BREAK_GLASS
    return ALLOWED


def test_authorization_matrix(
    request,
    client_for,
    municipality,
    other_municipality,
    child,
    caseworker,
    west_caseworker,
    foreign_caseworker,
):
    west_child = make_child(municipality, west_caseworker, serial=11, first_name="Vest")
    foreign_child = make_child(other_municipality, foreign_caseworker, serial=12)
    # Each child's handover goes to someone outside the matrix, who is then attached too.
    values = [
        _objects_for(child, caseworker, make_user("in1", "caseworker", municipality)),
        _objects_for(west_child, west_caseworker, make_user("in2", "caseworker", municipality)),
        _objects_for(
            foreign_child, foreign_caseworker, make_user("in3", "caseworker", other_municipality)
        ),
    ]
    names = child_url_names()
    failures = []
    for actor_name, expected in MATRIX.items():
        client = client_for(request.getfixturevalue(actor_name))
        for index, (target, expected_here) in enumerate(zip(values, expected, strict=True)):
            for name in names:
                want = _expected(actor_name, expected_here, name, index)
                url = reverse(name, kwargs=kwargs_for(name, target))
                response = client.get(url)
                got = _outcome(response, target["child_id"])
                if got != want:
                    failures.append(f"{actor_name} GET {url}: {got}, expected {want}")
                if response.get("Cache-Control") != NO_STORE:
                    failures.append(f"{actor_name} GET {url}: may be cached")
                if want != ALLOWED:
                    posted = _outcome(client.post(url, {"reason": ""}), target["child_id"])
                    if posted != want:
                        failures.append(f"{actor_name} POST {url}: {posted}, expected {want}")
    assert failures == []


def test_break_glass_needs_a_reason_and_is_logged_and_flagged(child, colleague, client_for):
    client = client_for(colleague)
    url = reverse("cases:child", args=[child.pk])
    response = client.get(url)
    assert response.status_code == 302
    open_url = response["Location"]
    assert open_url.startswith(reverse("access:break_glass", args=[child.pk]))
    page = client.get(open_url)
    assert page.status_code == 403 and "Emma" not in page.content.decode()
    response = client.post(open_url, {"reason": "x", "next": url})
    assert response.status_code == 403 and response.context["form"].errors["reason"]
    assert AccessEvent.objects.filter(record="break_glass_without_reason").count() == 1
    response = client.post(open_url, {"reason": "Covering for Rikke, who is ill", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert client.get(url).status_code == 200
    opened = AccessEvent.objects.get(user=colleague, action=AccessAction.BREAK_GLASS)
    assert opened.purpose == "Covering for Rikke, who is ill" and opened.child == child
    looked = AccessEvent.objects.filter(user=colleague, action=AccessAction.VIEW).last()
    assert looked.basis == "break_glass" and looked.purpose == "Covering for Rikke, who is ill"


def test_break_glass_expires(child, colleague, client_for, settings):
    from access.models import BreakGlassGrant
    from access.services import break_glass_open

    grant = break_glass_open(user=colleague, child=child, reason="Covering for an ill colleague")
    assert list(children_visible_to(colleague)) == [child]
    BreakGlassGrant.objects.filter(pk=grant.pk).update(expires_at=timezone.now())
    assert list(children_visible_to(colleague)) == []


def test_break_glass_next_cannot_point_elsewhere(child, colleague, client_for):
    client = client_for(colleague)
    response = client.post(
        reverse("access:break_glass", args=[child.pk]),
        {"reason": "Covering for an ill colleague", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("cases:child", args=[child.pk])


def test_leader_reviews_and_acknowledges_accesses_of_own_team(
    child, colleague, team_leader, west_leader, client_for
):
    from access.services import break_glass_open

    grant = break_glass_open(user=colleague, child=child, reason="Covering for an ill colleague")
    client_for(colleague).get(reverse("cases:child", args=[child.pk]))
    page = client_for(team_leader).get(reverse("access:break_glass_review"))
    assert page.context["grants"] == [grant] and page.context["grants"][0].looks == 2
    assert client_for(west_leader).get(reverse("access:break_glass_review")).context["grants"] == []
    acknowledge = reverse("access:break_glass_acknowledge", args=[grant.pk])
    assert client_for(west_leader).post(acknowledge).status_code == 404
    assert client_for(colleague).post(acknowledge).status_code == 404
    client_for(team_leader).post(acknowledge, {"note": "Agreed with me"})
    grant.refresh_from_db()
    assert grant.acknowledged_by == team_leader and grant.acknowledgement_note == "Agreed with me"
    assert client_for(team_leader).get(reverse("access:break_glass_review")).context["grants"] == []


def test_find_by_cpr_leads_to_break_glass_and_never_across_municipalities(
    child, colleague, foreign_caseworker, client_for
):
    response = client_for(colleague).get(reverse("cases:find"), {"cpr": child.cpr})
    assert response["Location"] == reverse("cases:child", args=[child.pk])
    response = client_for(foreign_caseworker).get(reverse("cases:find"), {"cpr": child.cpr})
    assert response.status_code == 200 and response.context["not_found"]


def test_caseworker_sees_only_assigned_children(municipality, caseworker, colleague, child):
    other = make_child(municipality, colleague, serial=2, first_name="Noah")
    assert list(children_visible_to(caseworker)) == [child]
    assert list(children_visible_to(colleague)) == [other]


def test_team_leader_sees_the_teams_children_only(
    municipality, child, team_leader, west_caseworker, west_leader
):
    west_child = make_child(municipality, west_caseworker, serial=3)
    assert list(children_visible_to(team_leader)) == [child]
    assert list(children_visible_to(west_leader)) == [west_child]


def test_head_of_department_sees_the_whole_municipality_only(
    municipality, child, head, foreign_caseworker, other_municipality
):
    make_child(other_municipality, foreign_caseworker, serial=4)
    assert list(children_visible_to(head)) == [child]


def test_contributor_sees_linked_child_for_the_life_book_only(
    child, foster_carer, unlinked_contributor
):
    assert list(children_visible_to(foster_carer, Need.LIFE_BOOK)) == [child]
    assert list(children_visible_to(foster_carer, Need.CASE_RECORD)) == []
    assert list(children_visible_to(unlinked_contributor, Need.LIFE_BOOK)) == []


def test_ended_link_and_ended_assignment_close_access(child, caseworker, colleague, foster_carer):
    link = child.contributor_links.get()
    link.ended_on = timezone.localdate()
    link.save()
    assert list(children_visible_to(foster_carer, Need.LIFE_BOOK)) == []

    handover = continuity_services.handover_start(
        actor=caseworker,
        child=child,
        to_caseworker=colleague,
        overlap_until=timezone.localdate(),
        note="Note",
        joint_meeting_at=timezone.now(),
    )
    assert caseworker in [a.caseworker for a in child.assignments.filter(ended_at__isnull=True)]
    continuity_services.handover_update(
        actor=caseworker,
        handover=handover,
        note="Note",
        joint_meeting_at=timezone.now(),
        joint_meeting_place="",
        child_informed_on=timezone.localdate(),
        child_informed_how="Told at school",
    )
    continuity_services.handover_complete(actor=caseworker, handover=handover)
    assert list(children_visible_to(caseworker)) == []
    assert list(children_visible_to(colleague)) == [child]


def test_reads_and_refusals_are_logged(child, caseworker, foreign_caseworker, client_for):
    client_for(caseworker).get(reverse("cases:child", args=[child.pk]))
    client_for(foreign_caseworker).get(reverse("cases:child", args=[child.pk]))
    seen = AccessEvent.objects.get(user=caseworker, record="child")
    assert seen.child == child and seen.action == AccessAction.VIEW
    assert seen.role == "caseworker" and seen.municipality_code == "265"
    refused = AccessEvent.objects.get(user=foreign_caseworker)
    assert refused.action == AccessAction.REFUSED
    assert refused.child is None and refused.requested_child_id == child.pk


def test_access_log_is_append_only(child, caseworker, client_for):
    client_for(caseworker).get(reverse("cases:child", args=[child.pk]))
    event = AccessEvent.objects.first()
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
