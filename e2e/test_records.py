"""The person's own file in a real browser: a 19-year-old asks for it on a phone, the
caseworker reviews it, withholds another person's information and releases it, and the young
adult finds it ready — with axe on every page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import PASSWORD, make_child, make_portal_story
from e2e.conftest import assert_accessible

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}


def test_a_young_adult_gets_the_whole_file(
    live_server, browser, municipality, caseworker, settings
):
    from feedback.defaults import ensure_default_instruments
    from feedback.models import Instrument, InstrumentVersion, Item
    from portal import services
    from records.models import PersonFile
    from records.person_file import render

    ensure_default_instruments(Instrument, InstrumentVersion, Item)  # flushed by live_server
    settings.STEMME_REQUIRE_2FA = False
    born = timezone.localdate() - timedelta(days=round(19 * 365.25) + 30)
    child = make_child(municipality, caseworker, birth=born, serial=91, first_name="Maja")
    make_portal_story(child, caseworker)
    _access, code = services.access_create(actor=caseworker, child=child)

    phone = browser.new_context(locale="da-DK", **PHONE).new_page()
    phone.goto(f"{live_server.url}/me/login/")
    phone.get_by_label("Din kode").fill(code)
    phone.get_by_role("button", name="Videre").click()
    phone.get_by_label("Vælg en PIN (4 til 6 tal)").fill("1357")
    phone.get_by_label("Skriv din PIN igen").fill("1357")
    phone.get_by_role("button", name="Log ind").click()
    phone.get_by_role("link", name="Hele min sag").click()
    assert_accessible(phone)
    phone.get_by_role("button", name="Bed om min fil").click()
    phone.get_by_text("En rådgiver læser den igennem").wait_for()
    render(PersonFile.objects.get())  # what the task worker does

    desk = browser.new_context(locale="da-DK").new_page()
    desk.goto(f"{live_server.url}/login/")
    desk.get_by_label("Brugernavn").fill(caseworker.username)
    desk.get_by_label("Adgangskode").fill(PASSWORD)
    desk.get_by_role("button", name="Log ind").click()
    desk.goto(f"{live_server.url}/children/{child.pk}/file/")
    assert_accessible(desk)
    desk.locator("table.data a").first.click()
    desk.get_by_text("Jeg er bange for far.").wait_for()
    assert_accessible(desk)
    row = desk.locator("tr", has_text="Jeg er bange for far.")
    row.get_by_label("Hvorfor det tilbageholdes").fill("Oplysning om faderen")
    row.get_by_role("button", name="Tilbagehold").click()
    desk.get_by_text("Venter", exact=True).wait_for()
    render(PersonFile.objects.get())
    desk.reload()
    desk.get_by_role("button", name="Frigiv filen til personen").click()
    desk.get_by_text("Frigivet til personen").first.wait_for()

    phone.reload()
    phone.get_by_role("link", name="Hent filen (PDF)").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(phone)
    with phone.expect_download() as download:
        phone.get_by_role("link", name="Hent filen (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")
