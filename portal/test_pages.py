"""The child's portal pages: the meeting ahead, feedback, the plan and decisions with "you said –
we did" and "I don't agree because ...", who has looked, how to complain, a new caseworker, the
young adult's download and MitID (through the local stand-in). Each shows only the child's own
records, and only what was written for the child."""

import io
import re
import zipfile
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone
from PIL import Image

from audit.models import AccessAction, AccessEvent
from cases.cpr import make_cpr
from conftest import (
    IMMEDIATE_TASKS,
    make_child,
    make_lifebook_entry,
    make_portal_child,
    make_portal_story,
    png_bytes,
)
from continuity.models import Handover
from conversations.readability import lix, lix_limit
from feedback.models import FeedbackResponse
from lifebook.models import Attachment, Entry, Photo
from plans.models import Complaint
from portal.models import ChildResponse, MeetingPreparation

IMMEDIATE = IMMEDIATE_TASKS


def _born(years: int) -> date:
    return timezone.localdate() - timedelta(days=round(years * 365.25) + 30)


def test_the_plan_page_shows_only_what_was_written_for_the_child(child, caseworker):
    story = make_portal_story(child, caseworker)
    _access, _code, client = make_portal_child(child, caseworker)
    response = client.get(reverse("portal:plan"))
    assert response["Cache-Control"] == "private, no-store"  # a shared phone keeps nothing
    assert child.first_name not in response.content.decode().split("</title>")[0]
    page = response.content.decode()
    assert "Du bor hos mor. Vi ses hver måned." in page and "Jeg vil have en ven" in page
    assert "Du må besøge mor hver fredag." in page
    assert "Flere besøg hos mor" in page  # you said ...
    assert "Vi gjorde det" in page  # ... we did
    assert "Du kan klage over det indtil" in page  # a party from 10, within the deadline
    assert "ikke vedtaget" not in page and "udkast" not in page.lower()
    assert story["secret"].text not in page  # what was kept for staff is not shown back


def test_the_child_says_i_dont_agree_and_the_caseworker_sees_it(
    child, caseworker, client_for, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    caseworker.email = "rikke@kommune.dk"
    caseworker.save()
    story = make_portal_story(child, caseworker)
    _access, _code, client = make_portal_child(child, caseworker)
    url = reverse("portal:respond_decision", args=[story["decision"].pk])
    empty = client.post(url, {"agrees": "no", "because": "  "})
    assert empty.status_code == 200 and "Skriv, hvorfor" in empty.content.decode()
    assert not ChildResponse.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url, {"agrees": "no", "because": "Jeg vil også se mor om søndagen"})
    assert sent.status_code == 302
    (message,) = mail.outbox
    assert message.to == [caseworker.email] and child.first_name not in message.body
    staff_page = client_for(caseworker).get(
        reverse("plans:decision", args=[child.pk, story["decision"].pk])
    )
    assert "Jeg vil også se mor om søndagen" in staff_page.content.decode()
    client.post(reverse("portal:respond_plan", args=[story["plan"].pk]), {"agrees": "yes"})
    story["plan"].refresh_from_db()
    assert story["plan"].child_agrees is True
    assert "Du sagde: Jeg er enig." in client.get(reverse("portal:plan")).content.decode()
    # A draft is not the child's to answer yet.
    draft = reverse("portal:respond_decision", args=[story["draft_decision"].pk])
    assert client.get(draft).status_code == 404


def test_the_child_prepares_the_next_meeting(child, caseworker, client_for):
    story = make_portal_story(child, caseworker)
    _access, _code, client = make_portal_child(child, caseworker)
    home = client.get(reverse("portal:home")).content.decode()
    assert "Biblioteket" in home
    client.post(
        reverse("portal:meeting"), {"topics": "Min skole og min hund", "bring": "Min lærer Ole"}
    )
    preparation = MeetingPreparation.objects.get(conversation=story["meeting"])
    assert preparation.topics == "Min skole og min hund" and preparation.bring == "Min lærer Ole"
    meeting_page = client.get(reverse("portal:meeting")).content.decode()
    assert "Min lærer Ole" in meeting_page  # the form keeps what the child wrote
    assert "Tak for snakken" in meeting_page  # the summary of the last meeting
    staff = client_for(caseworker).get(
        reverse("conversations:detail", args=[child.pk, story["meeting"].pk])
    )
    assert "Min skole og min hund" in staff.content.decode()


def test_the_child_answers_feedback_in_the_portal(child, caseworker):
    story = make_portal_story(child, caseworker)
    _access, _code, client = make_portal_child(child, caseworker)
    assert "1 ny" in client.get(reverse("portal:home")).content.decode()
    url = reverse("portal:feedback_answer", args=[story["feedback_request"].pk])
    assert url in client.get(reverse("portal:feedback")).content.decode()
    items = list(story["feedback_request"].version.items.all())
    for item in items:
        page = client.get(url)
        assert page.status_code == 200 and "Jeg har brug for at snakke" in page.content.decode()
        assert client.post(url, {"item": item.pk, "value": "4"}).status_code == 302
    done = client.get(url, follow=True)
    assert done.status_code == 200 and "Tak!" in done.content.decode()
    response = FeedbackResponse.objects.get(request=story["feedback_request"])
    assert response.is_complete and response.answers.count() == len(items)
    assert "Du svarede" in client.get(reverse("portal:feedback")).content.decode()


def test_who_has_looked_shows_others_not_the_child(child, caseworker, client_for):
    client_for(caseworker).get(reverse("cases:child", args=[child.pk]))
    _access, _code, client = make_portal_child(child, caseworker)
    client.get(reverse("portal:home"))
    page = client.get(reverse("portal:looked")).content.decode()
    assert "en rådgiver" in page and "Hvorfor: de arbejder med din sag." in page
    assert "gang" in page
    own = AccessEvent.objects.filter(child_id=child.pk, basis="own")
    assert own.exists()  # the child's own visits are logged, but not listed as "looks"
    assert page.count("Hvorfor:") == 1


def test_a_party_complains_from_the_portal(
    child, caseworker, municipality, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    caseworker.email = "rikke@kommune.dk"
    caseworker.save()
    story = make_portal_story(child, caseworker)
    _access, _code, client = make_portal_child(child, caseworker)
    page = client.get(reverse("portal:help")).content.decode()
    assert "116 111" in page and "bisidder" in page and "4 uger" in page
    missing = client.post(reverse("portal:help"), {"decision": story["decision"].pk})
    assert "Skriv, hvad du vil klage over" in missing.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("portal:help"),
            {"decision": story["decision"].pk, "text": "Jeg vil bo hos mor"},
        )
    complaint = Complaint.objects.get(child=child)
    assert complaint.complainant == "child" and complaint.decision == story["decision"]
    assert complaint.received_on == timezone.localdate() and len(mail.outbox) == 1
    # A draft or another decision cannot be chosen.
    other = client.post(
        reverse("portal:help"), {"decision": story["draft_decision"].pk, "text": "x"}
    )
    assert other.status_code == 200 and Complaint.objects.count() == 1
    young = make_child(municipality, caseworker, birth=_born(9), serial=31, first_name="Lille")
    _a, _c, young_client = make_portal_child(young, caseworker)
    young_page = young_client.get(reverse("portal:help")).content.decode()
    assert "Når du er 10, kan du selv klage" in young_page and "<textarea" not in young_page


def test_the_child_sees_the_caseworker_with_photo_and_a_coming_change(
    child, caseworker, colleague, client_for
):
    gps = Image.Exif()
    gps[0x8825] = {1: "N", 2: (55.0, 40.0, 0.0)}
    upload = SimpleUploadedFile("me.jpg", png_bytes(size=(600, 800)), content_type="image/png")
    profile = client_for(caseworker).post(
        reverse("accounts:profile"), {"phone": "46 31 00 00", "title": "Rådgiver", "photo": upload}
    )
    assert profile.status_code == 302
    bad = client_for(caseworker).post(
        reverse("accounts:profile"),
        {"phone": "1", "photo": SimpleUploadedFile("x.jpg", b"not an image")},
    )
    assert bad.status_code == 200 and "ikke et billede" in bad.content.decode()
    caseworker.refresh_from_db()
    assert caseworker.phone == "46 31 00 00"  # the failed upload changed nothing
    Handover.objects.create(
        child=child,
        from_caseworker=caseworker,
        to_caseworker=colleague,
        started_at=timezone.now(),
        overlap_until=timezone.localdate() + timedelta(days=7),
        joint_meeting_at=timezone.now() + timedelta(days=2),
        joint_meeting_place="Skolen",
        started_by=caseworker,
    )
    _access, _code, client = make_portal_child(child, caseworker)
    home = client.get(reverse("portal:home")).content.decode()
    assert "46 31 00 00" in home and "Du får en ny rådgiver" in home
    assert "Stedet er: Skolen" in home
    photo = client.get(reverse("portal:caseworker_photo"))
    assert photo.status_code == 200 and photo["Cache-Control"] == "private, no-store"
    with Image.open(io.BytesIO(b"".join(photo.streaming_content))) as image:
        assert image.format == "JPEG" and max(image.size) <= 400 and not image.getexif()
    assert client.get(reverse("portal:caseworker_photo") + "?new=1").status_code == 404


@pytest.mark.django_db(transaction=False)
def test_a_young_adult_downloads_the_book_and_the_originals(municipality, caseworker, settings):
    settings.TASKS = IMMEDIATE
    adult = make_child(municipality, caseworker, birth=_born(19), serial=41, first_name="Maja")
    made = make_lifebook_entry(adult, caseworker)
    _access, _code, client = make_portal_child(adult, caseworker)
    assert reverse("portal:download") in client.get(reverse("portal:home")).content.decode()
    started = client.post(reverse("portal:download"))
    export_id = int(re.search(r"/book/(\d+)/", started["Location"]).group(1))
    status = client.get(started["Location"]).content.decode()
    assert reverse("portal:book_download", args=[export_id]) in status
    pdf = client.get(reverse("portal:book_download", args=[export_id]))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    archive = client.get(reverse("portal:originals"))
    assert archive["Content-Disposition"].startswith("attachment")
    with zipfile.ZipFile(io.BytesIO(b"".join(archive.streaming_content))) as files:
        names = files.namelist()
        photo = Photo.objects.get(pk=made["photo_id"])
        attachment = Attachment.objects.get(pk=made["attachment_id"])
        contents = {files.read(name) for name in names}
    assert photo.image.open("rb").read() in contents
    assert attachment.file.open("rb").read() in contents
    assert len(names) == 2
    assert AccessEvent.objects.filter(child_id=adult.pk, action=AccessAction.EXPORT).count() == 2


def test_a_child_under_18_cannot_download_the_whole_book(child, caseworker):
    _access, _code, client = make_portal_child(child, caseworker)
    assert client.get(reverse("portal:download")).status_code == 404
    assert client.get(reverse("portal:originals")).status_code == 404


def _mitid(client, cpr, *, tamper=False):
    start = client.get(reverse("portal:eid_start"))
    standin = client.get(start["Location"])
    assert "Dette er ikke MitID" in standin.content.decode()
    state = re.search(r"state=([\w-]+)", start["Location"]).group(1)
    answer = client.post(reverse("portal:eid_standin"), {"state": state, "cpr": cpr})
    location = answer["Location"]
    if tamper:
        location = location.replace("code=", "code=x")
    return client.get(location)


def test_mitid_through_the_stand_in_signs_in_a_young_person_from_13(
    municipality, caseworker, settings
):
    assert Client().get(reverse("portal:eid_start")).status_code == 404  # off by default
    settings.STEMME_MITID_BROKER = "standin"
    teen = make_child(municipality, caseworker, birth=_born(15), serial=51, first_name="Malik")
    access, _code, _signed_in = make_portal_child(teen, caseworker)
    client = Client()
    assert "Log ind med MitID" in client.get(reverse("portal:login")).content.decode()
    tampered = _mitid(client, teen.cpr, tamper=True)
    assert tampered["Location"] == reverse("portal:login")
    assert client.get(reverse("portal:home"))["Location"] == reverse("portal:login")
    done = _mitid(client, teen.cpr)
    assert done["Location"] == reverse("portal:home")
    assert "Hej Malik" in client.get(reverse("portal:home")).content.decode()
    # Without the caseworker's open access, MitID alone does not open the portal.
    stranger = Client()
    refused = _mitid(stranger, make_cpr(_born(15), 61))
    assert refused["Location"] == reverse("portal:login")
    assert (
        "Du kan ikke logge ind med MitID endnu"
        in stranger.get(refused["Location"]).content.decode()
    )
    # Under 13: the code and PIN, not MitID.
    young = make_child(municipality, caseworker, birth=_born(11), serial=71, first_name="Ung")
    make_portal_child(young, caseworker)
    small = Client()
    _mitid(small, young.cpr)
    assert small.get(reverse("portal:home"))["Location"] == reverse("portal:login")
    assert AccessEvent.objects.filter(action=AccessAction.SIGN_IN_FAILED).count() >= 2


def test_the_stand_in_is_refused_outside_development(settings):
    from portal.mitid import check_broker

    settings.STEMME_MITID_BROKER, settings.DEBUG = "standin", False
    assert [error.id for error in check_broker(None)] == ["portal.E002"]
    settings.STEMME_MITID_BROKER = "nemlog-in"
    assert [error.id for error in check_broker(None)] == ["portal.E001"]


def _visible_text(html: str) -> str:
    main = html.split('<main id="main"', 1)[1].split(">", 1)[1].split("</main>", 1)[0]
    main = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", main, flags=re.S)
    # Headings, buttons, links, list items and a list's options are read one at a time, like
    # sentences.
    main = re.sub(r"</(h\d|p|li|a|button|label|legend|dt|dd|summary|option)>", ". ", main)
    text = re.sub(r"<[^>]+>", " ", main)
    return re.sub(r"\s+", " ", text)


# What each child reads on the portal, by the child's own age band (settings.STEMME_LIX_LIMITS).
CHILD_PAGES = ["home", "meeting", "feedback", "plan", "looked", "help", "talk", "lifebook"]


def _portal_scores(client, story, written_by_others=()) -> dict:
    """The LIX of each portal page's own text: what others wrote (a life book entry's title,
    day and file name) is taken out first."""
    urls = {name: reverse(f"portal:{name}") for name in CHILD_PAGES}
    urls["feedback_answer"] = reverse("portal:feedback_answer", args=[story["feedback_request"].pk])
    urls["lifebook_add"] = reverse("portal:lifebook_add")
    scores = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
        text = _visible_text(response.content.decode())
        for written in written_by_others:
            text = text.replace(written, "")
        scores[name] = (lix(text), text)
    return scores


@pytest.mark.parametrize("years", [9, 11, 14])
def test_every_portal_page_is_readable_for_the_childs_own_age(municipality, caseworker, years):
    """Every page's own Danish text (not what staff wrote) within the LIX limit of the child's
    own age band: under 10 the strictest."""
    young = make_child(municipality, caseworker, birth=_born(years), serial=40 + years)
    assert young.age() == years
    story = make_portal_story(young, caseworker)
    entry = Entry.objects.get(pk=make_lifebook_entry(young, caseworker)["lifebook_entry_id"])
    entry_data = [entry.title, formats.date_format(entry.happened_on, "j. F Y"), "skolebevis.pdf"]
    _access, _code, client = make_portal_child(young, caseworker)
    limit = lix_limit(years)
    too_hard = {
        name: (score, text)
        for name, (score, text) in _portal_scores(client, story, entry_data).items()
        if score > limit
    }
    assert not too_hard, (years, limit, too_hard)


def test_the_portal_sign_in_is_readable_for_the_youngest(db):
    """Before signing in, the portal does not know the child's age: the youngest band's limit."""
    text = _visible_text(Client().get(reverse("portal:login")).content.decode())
    assert lix(text) <= lix_limit(0), (lix(text), text)


def test_portal_pages_keep_their_number_of_queries_as_the_case_grows(child, caseworker):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_portal_story(child, caseworker)
    make_lifebook_entry(child, caseworker)
    _access, _code, client = make_portal_child(child, caseworker)
    pages = ["home", "meeting", "feedback", "plan", "looked", "help", "lifebook"]

    def counts():
        found = {}
        for name in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse(f"portal:{name}")).status_code == 200
            found[name] = len(queries.captured_queries)
        return found

    before = counts()
    for _more in range(3):
        make_portal_story(child, caseworker)
        make_lifebook_entry(child, caseworker)
    after = counts()
    assert after == before
    assert max(after.values()) <= 25
