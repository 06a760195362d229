"""The child's portal: sign-in with code and PIN, lockout, revoking, the child's own case only,
"I need to talk", and the child's controls over the life book."""

import re
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from access.tests import child_url_names, kwargs_for
from audit.models import AccessAction, AccessEvent
from conftest import (
    IMMEDIATE_TASKS,
    make_child,
    make_lifebook_entry,
    make_portal_child,
    make_portal_story,
    png_bytes,
)
from lifebook import services as lifebook_services
from lifebook.models import Entry
from plans.models import Complaint
from portal import services
from portal.models import PortalAccess, TalkRequest

PORTAL_PAGES = [
    "portal:home",
    "portal:talk",
    "portal:lifebook",
    "portal:lifebook_add",
    "portal:meeting",
    "portal:feedback",
    "portal:plan",
    "portal:looked",
    "portal:help",
]


def test_the_caseworker_hands_over_a_code_and_the_child_chooses_a_pin(
    child, caseworker, client_for
):
    page = client_for(caseworker).post(reverse("portal:access", args=[child.pk]))
    assert page["Cache-Control"] == "private, no-store"
    code = re.search(r'class="code-sheet">([A-Z0-9-]+)<', page.content.decode()).group(1)
    assert "<svg" in page.content.decode()  # the QR code, drawn inline
    access = PortalAccess.objects.get(child=child)
    assert code.replace("-", "") not in access.code_digest  # only a keyed digest is kept
    client = Client()
    step = client.post(reverse("portal:login"), {"step": "code", "code": code.lower()})
    assert "Vælg en PIN" in step.content.decode()
    mismatch = client.post(
        reverse("portal:login"),
        {"step": "new_pin", "code": code, "new_pin": "1357", "new_pin_again": "1358"},
    )
    assert "ikke ens" in mismatch.content.decode()
    done = client.post(
        reverse("portal:login"),
        {"step": "new_pin", "code": code, "new_pin": "1357", "new_pin_again": "1357"},
    )
    assert done.status_code == 302 and done["Location"] == reverse("portal:home")
    home = client.get(reverse("portal:home")).content.decode()
    assert f"Hej {child.preferred_name or child.first_name}" in home
    assert "Jeg har brug for at snakke" in home
    assert caseworker.get_full_name() not in home  # the municipality hides staff names
    assert client.session.get_expiry_age() == 15 * 60  # short idle sessions


def test_wrong_pins_pause_the_access_with_a_kind_message(child, caseworker, settings):
    settings.STEMME_PORTAL_PIN_TRIES = 3
    access, code, _client = make_portal_child(child, caseworker)
    client = Client()
    for _attempt in range(3):
        wrong = client.post(reverse("portal:login"), {"step": "pin", "code": code, "pin": "0000"})
        assert "passer ikke" in wrong.content.decode()
    locked = client.post(reverse("portal:login"), {"step": "pin", "code": code, "pin": "2468"})
    assert locked.status_code == 200 and "Hold en pause" in locked.content.decode()
    # Three wrong PINs, the pause, and the try during the pause: all against the child.
    failures = AccessEvent.objects.filter(action=AccessAction.SIGN_IN_FAILED)
    assert failures.count() == 5 and failures.filter(child=child).count() == 5
    access.refresh_from_db()
    access.locked_until = timezone.now() - timedelta(seconds=1)
    access.save()
    again = client.post(reverse("portal:login"), {"step": "pin", "code": code, "pin": "2468"})
    assert again.status_code == 302


def test_unknown_expired_and_revoked_codes_reveal_nothing(child, caseworker, client_for):
    client = Client()
    unknown = client.post(reverse("portal:login"), {"step": "code", "code": "AAAA-BBBB-CCCC"})
    assert unknown.status_code == 200 and "ikke rigtig" in unknown.content.decode()
    access, code = services.access_create(actor=caseworker, child=child)
    access.code_expires_at = timezone.now() - timedelta(days=1)
    access.save()
    expired = client.post(
        reverse("portal:login"),
        {"step": "new_pin", "code": code, "new_pin": "1357", "new_pin_again": "1357"},
    )
    assert "for gammel" in expired.content.decode()
    # A signed-in child whose access is closed is out on the next request.
    access, code, child_client = make_portal_child(child, caseworker)
    assert child_client.get(reverse("portal:home")).status_code == 200
    client_for(caseworker).post(reverse("portal:access", args=[child.pk]), {"action": "revoke"})
    assert child_client.get(reverse("portal:home"))["Location"] == reverse("portal:login")
    relogin = Client().post(reverse("portal:login"), {"step": "pin", "code": code, "pin": "2468"})
    assert relogin.status_code == 200 and "passer ikke" in relogin.content.decode()


def test_another_child_sees_nothing_of_this_child(municipality, child, caseworker):
    own = make_lifebook_entry(child, caseworker)
    story = make_portal_story(child, caseworker)
    other = make_child(municipality, caseworker, serial=21, first_name="Anden")
    _access, _code, client = make_portal_child(other, caseworker)
    for name, arg in [
        ("portal:lifebook_mark", own["lifebook_entry_id"]),
        ("portal:lifebook_comment", own["lifebook_entry_id"]),
        ("portal:lifebook_photo", own["photo_id"]),
        ("portal:lifebook_media", own["attachment_id"]),
        ("portal:feedback_answer", story["feedback_request"].pk),
        ("portal:respond_plan", story["plan"].pk),
        ("portal:respond_decision", story["decision"].pk),
        ("portal:book_status", 1),
        ("portal:book_download", 1),
    ]:
        url = reverse(name, args=[arg])
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"mark": "hide", "text": "x"}).status_code == 404, url
    for name in PORTAL_PAGES:
        page = client.get(reverse(name)).content.decode()
        assert "skolebevis" not in page and child.first_name not in page
        assert "hver fredag" not in page and "Biblioteket" not in page
    complaint = client.post(
        reverse("portal:help"), {"decision": story["decision"].pk, "text": "Ikke min"}
    )
    assert complaint.status_code == 200 and not Complaint.objects.exists()
    assert not Entry.objects.filter(hidden_by_child=True).exists()


def test_a_child_never_reaches_staff_pages(child, caseworker):
    _access, _code, client = make_portal_child(child, caseworker)
    values = {"child_id": child.pk}
    for name in child_url_names():
        try:
            url = reverse(name, kwargs=kwargs_for(name, values | _any_ids()))
        except KeyError:
            continue
        assert client.get(url)["Location"] == reverse("portal:home"), url
    assert client.get(reverse("cases:start"))["Location"] == reverse("portal:home")


def _any_ids():
    return {
        key: 1
        for key in [
            "handover_id",
            "member_id",
            "entry_id",
            "conversation_id",
            "statement_id",
            "tool_id",
            "alert_id",
            "plan_id",
            "goal_id",
            "decision_id",
            "complaint_id",
            "wish_id",
            "lifebook_entry_id",
            "photo_id",
            "attachment_id",
            "export_id",
            "talk_id",
        ]
    } | {"kind": "measure", "part": "goal", "tool": "three_houses"}


def test_staff_do_not_get_the_portal(child, caseworker, client_for):
    response = client_for(caseworker).get(reverse("portal:home"))
    assert response.status_code == 302 and response["Location"] == reverse("portal:login")


@pytest.mark.parametrize("hour", [10, 22])
def test_i_need_to_talk_reaches_the_caseworker_at_once(
    child, caseworker, client_for, settings, django_capture_on_commit_callbacks, hour
):
    settings.TASKS = IMMEDIATE_TASKS
    child.municipality.on_call_email = "vagt@kommune.dk"
    child.municipality.on_call_phone = "70 20 30 40"
    child.municipality.save()
    _access, _code, client = make_portal_child(child, caseworker)
    monday = timezone.make_aware(datetime(2026, 11, 23, hour, 0))
    assert services.is_working_hours(monday) == (hour == 10)
    caseworker.email = "rikke@kommune.dk"
    caseworker.save()
    with (
        pytest.MonkeyPatch.context() as patch,
        django_capture_on_commit_callbacks(execute=True),
    ):
        patch.setattr(services, "is_working_hours", lambda at=None: hour == 10)
        page = client.post(reverse("portal:talk"), {"kind": "unsafe", "message": "Det er svært"})
    text = page.content.decode()
    talk = TalkRequest.objects.get()
    assert talk.kind == "unsafe" and talk.message == "Det er svært"
    (message,) = mail.outbox
    assert caseworker.email in message.to and child.first_name not in message.body
    if hour == 10:
        assert "i dag" in text and message.to == [caseworker.email]
    else:
        assert "70 20 30 40" in text and "vagt@kommune.dk" in message.to
    assert "112" in text and "116 111" in text
    start = client_for(caseworker).get(reverse("cases:start")).content.decode()
    assert "Barnet føler sig ikke trygt" in start
    child_page = client_for(caseworker).get(reverse("cases:child", args=[child.pk]))
    assert "Det er svært" in child_page.content.decode()
    client_for(caseworker).post(reverse("portal:talk_answer", args=[child.pk, talk.pk]))
    talk.refresh_from_db()
    assert talk.answered_by == caseworker


def test_a_talk_without_a_choice_is_not_sent(child, caseworker):
    _access, _code, client = make_portal_child(child, caseworker)
    response = client.post(reverse("portal:talk"), {"kind": "other"})
    assert response.status_code == 200 and not TalkRequest.objects.exists()


def test_the_child_adds_marks_and_hides_in_their_own_book(
    child, caseworker, foster_carer, client_for
):
    entry = lifebook_services.entry_add(
        actor=foster_carer, child=child, title="Fra plejefamilien", happened_on=timezone.localdate()
    )
    sealed = lifebook_services.entry_add(
        actor=caseworker,
        child=child,
        title="Forseglet brev",
        happened_on=timezone.localdate(),
        sealed_until_age=child.age() + 2,
    )
    _access, _code, client = make_portal_child(child, caseworker)
    book = client.get(reverse("portal:lifebook")).content.decode()
    assert "Fra plejefamilien" not in book  # waits for the caseworker first
    assert sealed.title not in book
    lifebook_services.entry_approve(actor=caseworker, entry=entry)
    assert "Fra plejefamilien" in client.get(reverse("portal:lifebook")).content.decode()
    added = client.post(
        reverse("portal:lifebook_add"),
        {
            "title": "Min hund",
            "happened_on": timezone.localdate().isoformat(),
            "sealed_until_age": "30",
            "photo": SimpleUploadedFile("hund.png", png_bytes()),
        },
    )
    assert added.status_code == 302
    mine = Entry.objects.get(title="Min hund")
    assert mine.is_approved and mine.sealed_until_age is None and mine.author_role == "child"
    client.post(reverse("portal:lifebook_mark", args=[entry.pk]), {"mark": "hide"})
    client.post(reverse("portal:lifebook_mark", args=[entry.pk]), {"mark": "favourite"})
    client.post(reverse("portal:lifebook_comment", args=[entry.pk]), {"text": "Det var sjovt"})
    entry.refresh_from_db()
    assert entry.hidden_by_child and entry.favourite
    carer = client_for(foster_carer).get(reverse("lifebook:timeline", args=[child.pk]))
    assert "Fra plejefamilien" not in carer.content.decode()
    favourites = client.get(reverse("portal:lifebook"), {"favourites": "1"}).content.decode()
    assert "Fra plejefamilien" in favourites and "Min hund" not in favourites
    assert "Det var sjovt" in favourites
    photo = mine.photos.get()
    assert client.get(reverse("portal:lifebook_photo", args=[photo.pk])).status_code == 200
    logged = AccessEvent.objects.filter(child_id=child.pk, user=mine.author)
    assert logged.filter(action=AccessAction.CHANGE, basis="own").exists()  # writes are logged
    assert logged.filter(action=AccessAction.DOWNLOAD).exists()
