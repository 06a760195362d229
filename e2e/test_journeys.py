"""Main journeys in a real browser (Debian's chromium through Playwright), each page checked
with axe-core for WCAG 2.1 AA violations."""

import re

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from e2e.conftest import assert_accessible

pytestmark = pytest.mark.browser


def _token(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_caseworker_signs_in_with_second_factor_and_opens_a_child(
    live_server, page, child, caseworker
):
    device = TOTPDevice.objects.create(user=caseworker, name="phone", confirmed=True)
    page.goto(f"{live_server.url}/")
    assert "/login/" in page.url
    assert_accessible(page)
    page.get_by_label("Brugernavn").fill(caseworker.username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/login/code/**")
    assert_accessible(page)
    page.get_by_label("Sekscifret kode").fill(_token(device))
    page.get_by_role("button", name="Bekræft").click()
    page.wait_for_url("**/my-children/")
    assert page.get_by_role("heading", name="Mine børn").is_visible()
    assert_accessible(page)

    # The HTMX search narrows the list without reloading the page.
    page.get_by_label("Find et barn ud fra navn").fill("zzz")
    page.get_by_text("Intet barn passer til søgningen.").wait_for()
    page.get_by_label("Find et barn ud fra navn").fill("emm")
    page.get_by_role("link", name="Emmy Jensen").click()

    page.wait_for_url(f"**/children/{child.pk}/")
    assert page.get_by_role("heading", name="Emmy Jensen", level=1).is_visible()
    assert page.get_by_role("heading", name="Netværk").is_visible()
    assert "Anne Jensen" in page.content()
    assert_accessible(page)


def test_team_leader_sees_caseloads_and_starts_a_handover(
    live_server, page, child, caseworker, colleague, team_leader, settings
):
    settings.STEMME_REQUIRE_2FA = False
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Brugernavn").fill(team_leader.username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/team/")
    assert page.get_by_role("heading", name="Sagstal").is_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/children/{child.pk}/handover/new/")
    assert_accessible(page)
    page.get_by_label("Ny fast myndighedsperson").select_option(str(colleague.pk))
    page.get_by_label("Overdragelsesnotat").fill("Emma vil gerne mødes på skolen.")
    page.get_by_role("button", name="Start overdragelsen").click()
    page.wait_for_url("**/handovers/**")
    assert "planlæg det fælles møde med barnet" in page.content()
    assert_accessible(page)


def test_leader_reviews_a_break_glass_access_and_the_access_log(
    live_server, page, child, colleague, team_leader, settings
):
    from access.services import break_glass_open

    settings.STEMME_REQUIRE_2FA = False
    break_glass_open(user=colleague, child=child, reason="Dækker for Rikke, der er syg")
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Brugernavn").fill(team_leader.username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/team/")
    page.get_by_role("link", name="Adgange uden tilknytning").click()
    assert "Dækker for Rikke" in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Kvittér").click()
    page.get_by_text("Kvitteret.").wait_for()
    page.get_by_role("link", name="Adgangslog").click()
    assert page.get_by_role("heading", name="Skiller sig ud de seneste 30 dage").is_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/children/{child.pk}/who-has-looked/")
    assert "Hvorfor" in page.content()
    assert_accessible(page)


def test_caseworker_prepares_holds_documents_and_summarises_a_conversation(
    live_server, page, child, caseworker, settings, tmp_path
):
    settings.STEMME_REQUIRE_2FA = False
    settings.MEDIA_ROOT = tmp_path
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Brugernavn").fill(caseworker.username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/my-children/")
    page.goto(f"{live_server.url}/children/{child.pk}/")
    page.get_by_role("link", name="Planlæg en samtale").click()
    assert_accessible(page)

    # Prepare, with the frame in plain words.
    page.get_by_label("Type").select_option("follow_up")
    page.get_by_label("Hvornår").fill("2026-11-20T10:00")
    page.get_by_label(re.compile(r"^Hvor:?$")).fill("Legepladsen ved skolen")
    page.get_by_label("Barnet valgte stedet").check()
    page.get_by_label("Hvorfor vi mødes").fill("Vi skal tale om, hvordan det går.")
    page.get_by_role("button", name="Gem").click()
    page.wait_for_url("**/conversations/*/")
    assert page.get_by_role("heading", name="Opfølgningssamtale").is_visible()
    assert_accessible(page)

    # Hold it.
    page.get_by_role("button", name="Samtalen blev holdt").click()
    page.get_by_text("Gemt.").wait_for()

    # The three houses, the child's words, a wish.
    page.get_by_text("Tilføj: De tre huse").click()
    page.get_by_label("De gode ting").fill("Fodbold med Ali")
    page.get_by_label("Bekymringer").fill("Når far råber")
    page.get_by_label("Drømme").fill("At bo med min hund")
    page.locator("form[action$='/tools/three_houses/'] button").click()
    page.get_by_text("Fodbold med Ali").wait_for()
    page.get_by_role("textbox", name="Med barnets egne ord").fill(
        "Jeg vil gerne bo hos mor i weekenden."
    )
    page.get_by_label("Hvem må se det").select_option("not_parents")
    page.get_by_role("button", name="Tilføj det, barnet sagde").click()
    page.get_by_text("Jeg vil gerne bo hos mor i weekenden.").wait_for()
    page.get_by_role("textbox", name="Barnets ønske").fill("Mere tid med min hund")
    page.get_by_role("button", name="Tilføj ønsket").click()
    page.get_by_text("Mere tid med min hund").wait_for()

    # The summary to the child: too hard first, then plain.
    page.get_by_role("textbox", name="Opsummering til barnet").fill(
        "Kommunalbestyrelsens myndighedsudøvelse forudsætter dokumentationsmæssige vurderinger."
    )
    page.get_by_role("button", name="Gem opsummeringen").click()
    page.get_by_text("LIX").first.wait_for()
    page.get_by_role("textbox", name="Opsummering til barnet").fill(
        "Vi talte om din skole. Du vil gerne se din mor mere. Det skriver jeg ned."
    )
    page.get_by_role("button", name="Gem opsummeringen").click()
    page.get_by_text("Gemt.").wait_for()
    assert "Det skriver jeg ned." in page.content()
    assert_accessible(page)


def test_child_answers_on_a_phone_through_the_qr_link_and_the_caseworker_sees_the_alert(
    live_server, browser, child, caseworker, settings
):
    from feedback import services
    from feedback.defaults import ensure_default_instruments
    from feedback.models import Channel, Instrument, InstrumentVersion, Item

    ensure_default_instruments(Instrument, InstrumentVersion, Item)  # flushed by live_server
    request, token = services.feedback_request_create(
        actor=caseworker,
        child=child,
        instrument=Instrument.objects.get(key="meeting", municipality=None),
        channel=Channel.LINK,
    )
    phone = browser.new_context(
        viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True, locale="da-DK"
    )
    page = phone.new_page()
    page.goto(f"{live_server.url}/f/{token}/")
    assert page.get_by_text("Spørgsmål 1 af 5").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="2", exact=True).click()
    page.get_by_text("Spørgsmål 2 af 5").wait_for()
    page.get_by_role("button", name="Spring spørgsmålet over").click()
    page.get_by_text("Spørgsmål 3 af 5").wait_for()
    for _ in range(3):
        page.get_by_role("button", name="3", exact=True).click()
    page.get_by_role("heading", name="Tak!").wait_for()
    assert_accessible(page)
    phone.close()

    settings.STEMME_REQUIRE_2FA = False
    staff = browser.new_context(locale="da-DK")
    page = staff.new_page()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Brugernavn").fill(caseworker.username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/my-children/")
    assert page.get_by_text("Feedback-alarm:").is_visible()
    page.goto(f"{live_server.url}/children/{child.pk}/")
    assert page.get_by_text("Tal med barnet om, hvordan jeres møder fungerer").is_visible()
    assert page.locator("svg polyline").count() == 1
    assert_accessible(page)
    staff.close()


def test_from_a_childs_wish_to_the_decision_that_answers_it(
    live_server, page, child, caseworker, settings, tmp_path
):
    from cases import services as case_services
    from conftest import make_conversation

    settings.STEMME_REQUIRE_2FA = False
    settings.MEDIA_ROOT = tmp_path
    make_conversation(child, caseworker)  # the child wished: "Flere besøg hos mor"
    decision = case_services.decision_add(
        actor=caseworker, child=child, decided_on=timezone.localdate(), subject="Samvær med mor"
    )
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Brugernavn").fill(caseworker.username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/my-children/")
    page.goto(f"{live_server.url}/children/{child.pk}/decisions/{decision.pk}/")
    # Made final without the child's view: refused, with the reasons.
    page.get_by_role("button", name="Gør afgørelsen endelig").click()
    page.get_by_text("kan ikke gøres endelig endnu").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="svar på det med denne afgørelse").click()
    page.get_by_label("Hvad vi gjorde").select_option("done")
    page.get_by_role("textbox", name="Svaret til barnet").fill("Du får besøg hos mor hver weekend.")
    page.get_by_role("button", name="Gem svaret").click()
    page.get_by_text("Barnets ønske er besvaret.").wait_for()
    assert page.get_by_text("Alle barnets ønsker har fået et svar.").is_visible()
    page.goto(f"{live_server.url}/children/{child.pk}/decisions/{decision.pk}/")
    assert "Du får besøg hos mor hver weekend." in page.content()
    assert_accessible(page)


def test_a_foster_carer_adds_a_photo_from_a_phone(
    live_server, browser, child, foster_carer, tmp_path
):
    from conftest import png_bytes

    photo = tmp_path / "havet.png"
    photo.write_bytes(png_bytes(size=(800, 600)))
    phone = browser.new_context(
        viewport={"width": 360, "height": 700}, is_mobile=True, locale="da-DK"
    )
    page = phone.new_page()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Brugernavn").fill(foster_carer.username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.get_by_role("link", name="Føj til livsbogen").click()
    assert_accessible(page)
    page.get_by_label("Titel").fill("En dag ved havet")
    page.get_by_label("Hvad skete der").fill("Emma byggede et sandslot.")
    page.get_by_label("Foto").set_input_files(str(photo))
    page.get_by_role("button", name="Tilføj", exact=True).click()
    page.get_by_text("Tak!").wait_for()
    assert page.get_by_role("heading", name="En dag ved havet").is_visible()
    assert page.locator("img.thumb").count() == 1
    assert_accessible(page)
    phone.close()
