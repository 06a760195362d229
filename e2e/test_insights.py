"""The head of department's dashboard in a real browser: every indicator with its definition,
the per-team breakdown opened, and no WCAG 2.1 AA violations."""

import pytest

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
    page.locator("details summary").first.click()
    assert page.locator("svg.bars rect").count() >= 1
    assert_accessible(page)
