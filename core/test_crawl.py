"""Every form on every page, for every role of the demo: found by following links from the
start page, then sent the way the page offers it and again with hostile values.

No list of URLs: a new page or form is found and tried as soon as a link leads to it. Each
submission runs in a transaction that is rolled back, so every form meets the same demo."""

import html
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction

from core import testing

ROLES = ["rikke", "hanne", "chef", "admin", "analytiker", "plejefamilie", "konsulent", "faxe"]
INVALID_CHOICE = ("gyldig valgmulighed", "Select a valid choice", "er ikke en gyldig værdi")
ENGLISH_ERRORS = (
    "This field is required",
    "Enter a valid",
    "Select a valid",
    "Ensure this value",
    "Null characters are not allowed",
    "is not a valid",
    "Please correct",
)
ERROR_MARKERS = ('role="alert"', 'class="error', "form-errors", "errorlist", "errornote")
ERROR_MARKERS += ("child-error",)
LONG = ("Ida taler " * 10_000)[:100_000]  # plain letters: 100 kB per field, under the body limit
NUL = "Ida\x00skolen"
TYPED = "Ærø 🎈 مرحبا עברית \u200fslut"
TYPED_KINDS = {"text", "search", "email", "url", "tel", ""}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo municipality, loaded once for the module and rolled back after it (the
    tests are marked django_db, so the test database is set up before this runs)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def _hostile(form, variant):
    """The pairs of one hostile submission: every field gets a value a person or an attacker
    might send; the form's own token stays."""
    pairs = []
    for name, value in form.offered():
        control = next((c for c in form.controls if c.name == name), None)
        if control is None or name == "csrfmiddlewaretoken" or control.type == "submit":
            pairs.append((name, value))
            continue
        kind = control.type if control.tag == "input" else control.tag
        if kind in ("number", "range"):
            value = {"long": "-1", "nul": "1e400", "mixed": "9" * 30}[variant]
        elif kind == "date":
            value = {"long": "2026-02-30", "nul": "0000-00-00", "mixed": "99999-12-31"}[variant]
        elif kind == "time":
            value = "25:61"
        elif kind == "datetime-local":
            value = "2026-02-30T25:00"
        elif kind in ("select", "radio", "checkbox"):
            value = {"long": value, "nul": value + "\x00", "mixed": "9" * 18}[variant]
        else:
            value = {"long": LONG, "nul": NUL, "mixed": TYPED}[variant]
        pairs.append((name, value))
    if variant == "mixed":
        pairs = [pair for pair in pairs for _twice in (1, 2)]
    return pairs


def _typed_fields(form):
    return [
        c
        for c in form.controls
        if not c.disabled
        and "hidden" not in c.attrs
        and "hidden" not in c.attrs.get("class", "").split()
        and (c.tag == "textarea" or (c.tag == "input" and c.type in TYPED_KINDS))
    ]


def _check_answer(where, form, variant, response):
    """What the page that answers a submission must hold; a list of problems."""
    problems = []
    if response.status_code >= 500:
        return [f"{where}: {response.status_code}"]
    if "text/html" not in response.get("Content-Type", "") or 300 <= response.status_code < 400:
        return problems
    body = response.content.decode()
    if variant == "offered":
        return [f"{where}: refused an offered value ({m})" for m in INVALID_CHOICE if m in body]
    problems += [f"{where}: an English message ({m})" for m in ENGLISH_ERRORS if m in body]
    refused = any(marker in body for marker in ERROR_MARKERS)
    typed = html.escape(TYPED) in body or TYPED in body
    if variant == "mixed" and form.method == "post" and _typed_fields(form) and not typed:
        # Refused: what was typed must be on the page. Answered without a message: the same
        # form shown again empty means the input was silently lost.
        again = any(other.names() == form.names() for other in testing.parse(body)[1])
        if refused or again:
            problems.append(f"{where}: what the user typed is not on the page that answers")
    if form.method == "post" and response.status_code not in (200, 403, 404) and not refused:
        problems.append(f"{where}: refused ({response.status_code}) without a message")
    return problems


def try_forms(client, pages):
    """Send every form found on the pages (once per target shape and set of fields) as
    offered and with hostile values; the problems found."""
    problems, tried = [], set()
    for url, body in pages:
        for form in testing.parse(body)[1]:
            action = testing.target(url, form)
            key = (testing.shape(action), form.method, form.names())
            if key in tried or testing.SKIP.search(urlsplit(action).path) or not form.names():
                continue
            tried.add(key)
            for variant in ("offered", "long", "nul", "mixed"):
                pairs = form.offered() if variant == "offered" else _hostile(form, variant)
                where = f"{form.method.upper()} {action} (form on {url}, {variant})"
                response, error = testing.rolled_back(
                    client, lambda u=url, f=form, p=pairs: testing.submit(client, u, f, p)
                )
                if error:
                    problems.append(f"{where}: server error\n{error}")
                else:
                    problems += _check_answer(where, form, variant, response)
    return problems, tried


@pytest.mark.django_db
@pytest.mark.parametrize("username", [*ROLES, "barn"])
def test_every_form_of_every_page_takes_what_it_offers_and_survives_hostile_input(demo, username):
    client = testing.demo_client(username)
    pages, problems = testing.crawl(client, start="/me/" if username == "barn" else "/")
    form_problems, tried = try_forms(client, pages)
    assert len(pages) >= 3, [url for url, _body in pages]
    assert tried, "no form was found"
    problems += form_problems
    assert not problems, f"{len(problems)} problems:\n\n" + "\n\n".join(problems)
