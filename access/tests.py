"""The access rule: who may see which child. Walks every URL of the project, so a new child URL
cannot slip past without being checked."""

import re
from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from access.policy import Need, children_visible_to
from audit.models import AccessAction, AccessEvent
from cases.models import Measure, MeasureKind
from conftest import make_child
from continuity import services as continuity_services

# URLs that show no child's data. Every other URL must take a child_id and be tested below.
NON_CHILD_URLS = {
    "core:home",
    "accounts:login",
    "accounts:logout",
    "accounts:otp_verify",
    "accounts:otp_setup",
    "cases:start",  # lists only children the access helper returns
    "cases:child_create",
    "continuity:team",  # lists only children the access helper returns
    "set_language",
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
    values = {
        "child_id": child.pk,
        "handover_id": handover.pk,
        "member_id": child.network.first().pk,
        "kind": "measure",
        "entry_id": measure.pk,
    }
    urls = []
    for name in child_url_names():
        pattern = dict(walk())[name]
        kwargs = {key: values[key] for key in pattern.pattern.regex.groupindex}
        urls.append(reverse(name, kwargs=kwargs))
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
        assert client.get(url).status_code == 404, f"GET {url}"
        assert client.post(url, {"reason": "x", "name": "x"}).status_code == 404, f"POST {url}"


def test_foreign_child_looks_exactly_like_a_missing_child(child, foreign_caseworker, client_for):
    client = client_for(foreign_caseworker)
    existing = client.get(reverse("cases:child", args=[child.pk]))
    missing = client.get(reverse("cases:child", args=[child.pk + 10_000]))
    assert existing.status_code == missing.status_code == 404
    token = re.compile(rb'name="(csrfmiddlewaretoken|next)" (type="hidden" )?value="[^"]+"')
    assert token.sub(b"", existing.content) == token.sub(b"", missing.content)


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
