"""The child's portal on a 375-pixel phone: a 9-year-old signs in with a code and a PIN, and a
15-year-old with MitID (through the local stand-in). Every page is checked with axe-core, and a
screenshot of each is written for review (to STEMME_SCREENSHOTS, or the test's own folder)."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from conftest import make_child, make_portal_story, png_bytes
from e2e.conftest import assert_accessible

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}


def _born(years: int):
    return timezone.localdate() - timedelta(days=round(years * 365.25) + 30)


@pytest.fixture
def shots(tmp_path):
    folder = Path(os.environ.get("STEMME_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)

    def shoot(page, name):
        assert_accessible(page)
        # Nothing may stick out sideways on a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, name
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

    return shoot


@pytest.fixture
def portal_story(municipality, caseworker):
    from feedback.defaults import ensure_default_instruments
    from feedback.models import Instrument, InstrumentVersion, Item

    ensure_default_instruments(Instrument, InstrumentVersion, Item)  # flushed by live_server

    def make(years, first_name, serial):
        child = make_child(
            municipality, caseworker, birth=_born(years), serial=serial, first_name=first_name
        )
        return child, make_portal_story(child, caseworker)

    return make


def test_a_nine_year_old_uses_the_portal_on_a_phone(
    live_server, browser, caseworker, portal_story, shots, tmp_path
):
    from portal import services

    child, _story = portal_story(9, "Ida", 81)
    _access, code = services.access_create(actor=caseworker, child=child)
    photo = tmp_path / "hund.png"
    photo.write_bytes(png_bytes(size=(800, 600)))
    context = browser.new_context(locale="da-DK", **PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/me/login/")
    shots(page, "09-01-code")
    page.get_by_label("Din kode").fill(code)
    page.get_by_role("button", name="Videre").click()
    page.get_by_label("Vælg en PIN (4 til 6 tal)").fill("1357")
    page.get_by_label("Skriv din PIN igen").fill("1357")
    page.get_by_role("button", name="Log ind").click()
    page.get_by_role("heading", name="Hej Ida").wait_for()
    assert page.get_by_text("Biblioteket").is_visible()
    shots(page, "09-02-home")

    page.get_by_role("link", name="Hvad vil jeg tale om?").click()
    page.get_by_label("Hvad vil du tale om?").fill("Min hund og min skole")
    page.get_by_label("Hvem vil du have med?").fill("Min lærer")
    page.get_by_role("button", name="Gem").click()
    page.get_by_text("Din rådgiver kan se det før mødet").wait_for()
    shots(page, "09-03-meeting")

    page.goto(f"{live_server.url}/me/feedback/")
    page.get_by_role("link", name="Svar").click()
    page.get_by_text("Spørgsmål 1 af 5").wait_for()
    shots(page, "09-04-feedback-faces")
    for number in range(1, 6):
        page.get_by_role("button", name="Godt", exact=True).click()
        if number < 5:
            page.get_by_text(f"Spørgsmål {number + 1} af 5").wait_for()
    page.get_by_role("heading", name="Tak!").wait_for()

    page.goto(f"{live_server.url}/me/plan/")
    assert page.get_by_text("Du må besøge mor hver fredag.").first.is_visible()
    assert page.get_by_text("Når du er 10").count() == 0
    shots(page, "09-05-plan")
    page.get_by_role("link", name="Sig, hvad du synes").first.click()
    page.get_by_label("Jeg er ikke enig", exact=True).check()
    page.get_by_label("Jeg er ikke enig, fordi …").fill("Jeg vil have en hund")
    page.get_by_role("button", name="Send").click()
    page.get_by_text("Tak. Din rådgiver læser det.").wait_for()

    page.goto(f"{live_server.url}/me/lifebook/add/")
    page.get_by_label("Titel").fill("Min hund")
    page.get_by_label("Foto").set_input_files(str(photo))
    page.get_by_role("button", name="Tilføj", exact=True).click()
    page.get_by_role("heading", name="Min hund").wait_for()
    shots(page, "09-06-lifebook")

    page.goto(f"{live_server.url}/me/help/")
    assert page.get_by_text("Når du er 10, kan du selv klage").is_visible()
    shots(page, "09-07-help")
    page.get_by_role("link", name="Jeg har brug for at snakke · Jeg føler mig ikke tryg").click()
    page.get_by_role("button", name="Jeg har brug for at snakke").click()
    page.get_by_role("heading", name="Din besked er sendt").wait_for()
    shots(page, "09-08-talk-sent")
    context.close()


def test_a_fifteen_year_old_signs_in_with_mitid_and_complains(
    live_server, browser, caseworker, colleague, portal_story, shots, settings
):
    from continuity.models import Handover
    from plans.models import Complaint
    from portal import services

    settings.STEMME_MITID_BROKER = "standin"
    child, story = portal_story(15, "Malik", 91)
    services.access_create(actor=caseworker, child=child)
    Handover.objects.create(
        child=child,
        from_caseworker=caseworker,
        to_caseworker=colleague,
        started_at=timezone.now(),
        overlap_until=timezone.localdate() + timedelta(days=10),
        joint_meeting_at=timezone.now() + timedelta(days=5),
        joint_meeting_place="Ungdomsklubben",
        started_by=caseworker,
    )
    context = browser.new_context(locale="da-DK", **PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/me/login/")
    page.get_by_role("link", name="Log ind med MitID").click()
    shots(page, "15-01-mitid-standin")
    page.get_by_label("CPR-nummer, som mægleren står inde for").fill(child.cpr)
    page.get_by_role("button", name="Log ind").click()
    page.get_by_role("heading", name="Hej Malik").wait_for()
    assert page.get_by_text("Du får en ny rådgiver.").is_visible()
    assert page.get_by_text("Stedet er: Ungdomsklubben.").is_visible()
    shots(page, "15-02-home")

    page.get_by_role("link", name="Min plan og hvad der er besluttet").click()
    assert page.get_by_text("Du kan klage over det indtil").is_visible()
    page.get_by_role("link", name="Sådan klager du").click()
    page.get_by_label("Hvad vil du klage over?").fill("Jeg vil også se mor om søndagen")
    shots(page, "15-03-complain")
    page.get_by_role("button", name="Send min klage").click()
    page.get_by_text("Din klage er sendt").wait_for()
    complaint = Complaint.objects.get(child=child)
    assert complaint.decision == story["decision"] and complaint.complainant == "child"

    page.goto(f"{live_server.url}/me/looked/")
    page.get_by_role("heading", name="Hvem har kigget i min sag").wait_for()
    shots(page, "15-04-looked")
    page.get_by_role("button", name="Log ud").click()
    page.get_by_role("heading", name="Velkommen til Min Stemme").wait_for()
    context.close()
