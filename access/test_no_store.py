"""Nothing with a child's data stays in a browser's or a proxy's cache: every answer Stemme gives
is `Cache-Control: private, no-store`, except static assets. The child URLs are checked for every
role in the authorisation matrix (access/tests.py); here the pages without a child id, for staff,
for a child signed in to the portal and before sign-in."""

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import NoReverseMatch, reverse

from access.tests import NO_STORE, walk
from conftest import make_portal_child


def _pages_without_arguments(prefix: str = ""):
    """Every URL of the project that takes no argument (logging out is left to the end)."""
    for name, pattern in walk():
        if pattern.pattern.regex.groupindex or "logout" in name or not name.startswith(prefix):
            continue
        try:
            yield reverse(name)
        except NoReverseMatch:
            continue


@pytest.mark.parametrize("actor", ["caseworker", "head", "administrator", "foster_carer"])
def test_every_staff_page_without_a_child_is_never_cached(actor, child, client_for, request):
    client = client_for(request.getfixturevalue(actor))
    urls = [*_pages_without_arguments(), reverse("admin:index")]
    assert len(urls) > 20
    cached = [url for url in urls if client.get(url).get("Cache-Control") != NO_STORE]
    assert cached == []
    answer = client.post(reverse("accounts:logout"))
    assert answer["Cache-Control"] == NO_STORE


def test_every_portal_page_is_never_cached(child, caseworker):
    _access, _code, client = make_portal_child(child, caseworker)
    urls = list(_pages_without_arguments("portal:"))
    assert reverse("portal:home") in urls and reverse("portal:looked") in urls
    cached = [url for url in urls if client.get(url).get("Cache-Control") != NO_STORE]
    # Staff pages the child is sent away from answer the same way.
    for url in (reverse("core:home"), reverse("cases:child", args=[child.pk])):
        if client.get(url).get("Cache-Control") != NO_STORE:
            cached.append(url)
    assert cached == []


def test_pages_before_sign_in_are_never_cached_but_static_assets_are(db):
    client = Client()
    for url in (reverse("accounts:login"), reverse("portal:login"), "/children/1/"):
        assert client.get(url)["Cache-Control"] == NO_STORE, url
    assert finders.find("vendor/htmx.min.js")
    asset = client.get("/static/vendor/htmx.min.js")
    assert asset.status_code == 200 and "no-store" not in asset.get("Cache-Control", "")
