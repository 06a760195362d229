"""Feedback on recorded practice in a real browser: a caseworker uploads a short video, the
consultant pauses it and comments at that moment, the caseworker sees the comment and jumps to
it; and the caseworker reflects on a conversation. axe on every page."""

from pathlib import Path

import pytest

from accounts.models import Role
from conftest import PASSWORD, make_conversation, make_user
from e2e.conftest import assert_accessible
from reflection.models import Reflection, VideoComment

pytestmark = pytest.mark.browser
VIDEO = Path(__file__).resolve().parent.parent / "demo" / "assets" / "practice.webm"


def _until(page, expression: str, seconds: float = 15) -> None:
    """Wait until a JavaScript expression holds (page.evaluate is not held back by the Content
    Security Policy, as Playwright's wait_for_function is)."""
    import time

    deadline = time.monotonic() + seconds
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, expression
        time.sleep(0.1)


def _sign_in(browser, live_server, user):
    page = browser.new_context(locale="da-DK").new_page()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Brugernavn").fill(user.username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    return page


def test_a_consultant_comments_at_a_moment_and_the_caseworker_sees_it(
    live_server, browser, municipality, caseworker, settings
):
    settings.STEMME_REQUIRE_2FA = False
    consultant = make_user("konsulent", Role.CONSULTANT, municipality)
    page = _sign_in(browser, live_server, caseworker)
    page.get_by_role("link", name="Refleksion", exact=True).click()
    page.get_by_role("link", name="Upload en praksisvideo").click()
    assert_accessible(page)
    page.get_by_label("Titel").fill("Rollespil om en flytning")
    page.get_by_label("Rollespil med en kollega").check()
    page.get_by_label("Konsulent").select_option(label=consultant.get_full_name())
    page.get_by_label("Videoen (MP4, MOV, WebM eller MKV)").set_input_files(VIDEO)
    page.get_by_role("button", name="Upload", exact=True).click()
    page.get_by_role("heading", name="Rollespil om en flytning").wait_for()
    video_url = page.url

    other = _sign_in(browser, live_server, consultant)
    other.get_by_role("link", name="Rollespil om en flytning").click()
    _until(other, "document.querySelector('video').duration > 5")
    other.evaluate("document.querySelector('video').currentTime = 7")
    _until(other, "Math.floor(document.querySelector('video').currentTime) === 7")
    other.get_by_role("button", name="Brug videoens aktuelle tidspunkt").click()
    assert other.get_by_label("Tidspunkt i videoen (m:ss)").input_value() == "0:07"
    other.get_by_label("Din kommentar").fill("Her venter du fint på barnets svar.")
    other.get_by_role("button", name="Gem kommentaren").click()
    other.get_by_text("Her venter du fint på barnets svar.").wait_for()
    assert_accessible(other)
    assert VideoComment.objects.get().at_seconds == 7

    page.goto(video_url)
    assert page.get_by_text("Her venter du fint på barnets svar.").is_visible()
    page.get_by_role("button", name="Afspil fra 0:07").click()
    _until(page, "Math.floor(document.querySelector('video').currentTime) === 7")
    page.get_by_label("Dit svar").fill("Tak, det var svært at holde pausen.")
    page.get_by_role("button", name="Svar", exact=True).click()
    page.get_by_text("Tak, det var svært at holde pausen.").wait_for()
    assert_accessible(page)


def test_the_caseworker_reflects_on_a_conversation(
    live_server, browser, child, caseworker, settings
):
    settings.STEMME_REQUIRE_2FA = False
    conversation, _statement, _drawing = make_conversation(child, caseworker)
    page = _sign_in(browser, live_server, caseworker)
    page.goto(f"{live_server.url}/children/{child.pk}/conversations/{conversation.pk}/")
    page.get_by_role("link", name="Reflektér over samtalen").click()
    assert_accessible(page)
    page.get_by_label("Hvad gik godt?").fill("Hun valgte selv stedet.")
    page.get_by_label("Hvad tager jeg med til næste møde?").fill("Tegningen.")
    page.get_by_role("button", name="Gem min refleksion").click()
    page.get_by_text("Din refleksion er gemt.").wait_for()
    assert Reflection.objects.get().went_well == "Hun valgte selv stedet."
    assert_accessible(page)
