"""The head of department's dashboard in a real browser: every indicator with its definition,
the per-team breakdown opened, and no WCAG 2.1 AA violations."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import PASSWORD, answer_feedback, make_child
from e2e.conftest import assert_accessible

pytestmark = pytest.mark.browser


def test_the_head_of_department_reads_the_dashboard(
    live_server, browser, municipality, caseworker, head, settings
):
    from feedback.defaults import ensure_default_instruments
    from feedback.models import Instrument, InstrumentVersion, Item

    ensure_default_instruments(Instrument, InstrumentVersion, Item)  # flushed by live_server
    settings.STEMME_REQUIRE_2FA = False
    answer_feedback(make_child(municipality, caseworker, serial=5), caseworker, [8, 7, 9, 6, 8])
    page = browser.new_context(locale="da-DK").new_page()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Brugernavn").fill(head.username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.get_by_role("link", name="Indsigt").click()
    page.get_by_role("heading", name="Felt listened to").or_(
        page.get_by_role("heading", name="Følte sig lyttet til")
    ).first.wait_for()
    assert page.get_by_text("Definition:").count() >= 10
    page.locator(".indicator-units a").first.click()  # loads the breakdown in place (htmx)
    page.locator("svg.bars").first.wait_for()
    assert page.locator("svg.bars rect").count() >= 1
    assert_accessible(page)


def test_a_leader_self_assesses_and_runs_the_childrens_survey(
    live_server, browser, municipality, head, settings
):
    from insights.models import STATEMENTS

    settings.STEMME_REQUIRE_2FA = False
    settings.STEMME_SMALL_CELL = 1  # one child's answers are enough to show in this test
    context = browser.new_context(locale="da-DK")
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Brugernavn").fill(head.username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.goto(f"{live_server.url}/insights/")
    page.get_by_role("link", name="Selvevaluering").click()
    page.get_by_role("link", name="Gennemfør en ny selvevaluering").click()
    assert_accessible(page)
    for index, _key in enumerate(STATEMENTS):
        page.locator("fieldset").nth(index).get_by_label("I høj grad").check()
    page.get_by_role("button", name="Gem selvevalueringen").click()
    page.get_by_role("cell", name="75").first.wait_for()
    assert_accessible(page)

    page.goto(f"{live_server.url}/surveys/")
    page.get_by_label("Titel").fill("Bliver du hørt?")
    closes = timezone.localdate() + timedelta(days=30)
    page.get_by_label("Lukker").fill(closes.isoformat())
    page.get_by_role("button", name="Opret undersøgelsen").click()
    page.get_by_label("Hvor mange links").fill("2")
    page.get_by_role("button", name="Lav links").click()
    link = page.locator(".survey-links code").first.inner_text()
    assert_accessible(page)

    phone = browser.new_context(locale="da-DK", viewport={"width": 375, "height": 740})
    child = phone.new_page()
    child.goto(link)
    child.get_by_label("13 til 15").check()
    child.get_by_label("I en plejefamilie").check()
    child.get_by_role("button", name="Videre").click()
    for _question in range(6):
        child.get_by_role("button", name="8", exact=True).click()
    child.get_by_text("Ingen kan se, hvem du er").wait_for()
    assert_accessible(child)

    page.goto(page.url.replace("/links/", "/"))
    page.get_by_text("Det svarede børnene").wait_for()
    assert page.get_by_text("8,0").count() >= 6
    assert_accessible(page)
