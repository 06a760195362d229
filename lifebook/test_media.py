"""Videos, sound and documents in the life book; the child's controls; comments; the timeline's
filters; sealing; inviting contributors; links that end with their placement."""

import functools
import io
import re
import wave
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from cases import services as case_services
from cases.models import Measure, MeasureKind
from conftest import IMMEDIATE_TASKS, pdf_bytes
from core import samples
from lifebook import services
from lifebook.models import Attachment, Comment, Entry


@functools.cache
def phone_video(extension="mp4") -> bytes:
    """A real video as a phone writes it, with the place it was filmed in its tags (made by
    ffmpeg once per test run)."""
    return samples.media(extension)


def wav_sound() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(8000)
        sound.writeframes(b"\x00\x01" * 4000)
    return buffer.getvalue()


def word_document(extra=None, big_member_bytes=0) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document/>")
        if big_member_bytes:
            archive.writestr("word/media/filler.bin", bytes(big_member_bytes))
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _post(client, child, attachment: bytes, name: str, **fields):
    data = {
        "title": "Skolekoncert",
        "happened_on": timezone.localdate().isoformat(),
        "attachment": SimpleUploadedFile(name, attachment, content_type="video/mp4"),
        **fields,
    }
    return client.post(reverse("lifebook:add", args=[child.pk]), data)


@pytest.mark.parametrize("extension", ["mp4", "mov"])
def test_a_phone_video_is_stored_without_the_place_it_was_filmed(
    child, foster_carer, client_for, extension
):
    original = phone_video(extension)
    assert samples.LOCATION.encode() in original
    response = _post(client_for(foster_carer), child, original, f"IMG_0042.{extension.upper()}")
    assert response.status_code == 302
    stored = Attachment.objects.get()
    assert stored.kind == "video" and stored.name == f"IMG_0042.{extension}"
    with stored.file.open("rb") as handle:
        data = handle.read()
    assert samples.LOCATION.encode() not in data and b"ISO6709" not in data
    assert samples.DEVICE.encode() not in data and stored.size == len(data)


@pytest.mark.parametrize(
    ("content", "name", "kind"),
    [
        (wav_sound(), "sang.wav", "audio"),
        (pdf_bytes(), "skolebevis.pdf", "document"),
        (word_document(), "brev.docx", "document"),
    ],
)
def test_sound_and_documents_are_stored_with_their_real_type(
    child, caseworker, client_for, content, name, kind
):
    client = client_for(caseworker)
    assert _post(client, child, content, name).status_code == 302
    stored = Attachment.objects.get()
    assert stored.kind == kind and stored.name == name
    response = client.get(reverse("lifebook:attachment", args=[child.pk, stored.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    # A document is always downloaded, never opened inside Stemme's pages.
    assert ("attachment" in response.get("Content-Disposition", "")) == (kind == "document")


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"MZ\x90\x00 a program pretending to be a video", "film.mp4", "kan ikke bruge"),
        (b"<svg><script>alert(1)</script></svg>", "tegning.pdf", "kan ikke bruge"),
        (b"PK\x03\x04" + bytes(60), "arkiv.zip", "kan ikke bruge"),
        (phone_video()[:300], "afkortet.mp4", "beskadiget"),
        (pdf_bytes()[:-8], "halv.pdf", "beskadiget"),
        (word_document({"word/vbaProject.bin": b"macro"}), "makro.docx", "makroer"),
    ],
)
def test_files_that_are_not_what_they_claim_are_refused_and_nothing_is_stored(
    child, foster_carer, client_for, content, name, message
):
    response = _post(client_for(foster_carer), child, content, name, text="Noget vi vil huske")
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Noget vi vil huske" in page  # what they wrote is still in the form
    assert not Entry.all_objects.exists() and not Attachment.all_objects.exists()


def test_a_zip_bomb_document_is_refused(child, caseworker, client_for, settings):
    settings.STEMME_MAX_UNZIPPED_BYTES = 1_000_000
    bomb = word_document(big_member_bytes=5_000_000)
    assert len(bomb) < 50_000  # small on the way in, five megabytes unpacked
    response = _post(client_for(caseworker), child, bomb, "rapport.docx")
    assert response.status_code == 200 and "pakker" in response.content.decode()
    assert not Attachment.all_objects.exists()


def test_a_too_large_video_is_refused_by_its_kind(child, caseworker, client_for, settings):
    settings.STEMME_MAX_VIDEO_BYTES = 1000
    response = _post(client_for(caseworker), child, phone_video(), "film.mp4")
    assert response.status_code == 200 and "for stor" in response.content.decode()
    assert not Entry.all_objects.exists()


def test_a_bad_photo_and_a_good_video_store_nothing(child, caseworker, client_for):
    data = {
        "title": "Sommer",
        "happened_on": timezone.localdate().isoformat(),
        "photo": SimpleUploadedFile("foto.jpg", b"not a photo"),
        "attachment": SimpleUploadedFile("film.mp4", phone_video()),
    }
    response = client_for(caseworker).post(reverse("lifebook:add", args=[child.pk]), data)
    assert response.status_code == 200 and response.context["form"].errors["photo"]
    assert not Entry.all_objects.exists() and not Attachment.all_objects.exists()


def test_the_child_hides_an_entry_from_carers_and_the_printed_book(
    child, caseworker, foster_carer, client_for
):
    entry = services.entry_add(
        actor=caseworker, child=child, title="Mor på besøg", happened_on=timezone.localdate()
    )
    carer = client_for(foster_carer)
    timeline = reverse("lifebook:timeline", args=[child.pk])
    assert "Mor på besøg" in carer.get(timeline).content.decode()
    services.entry_mark(actor=caseworker, entry=entry, hidden=True, favourite=True)
    assert "Mor på besøg" not in carer.get(timeline).content.decode()
    comment = reverse("lifebook:comment", args=[child.pk, entry.pk])
    assert carer.post(comment, {"text": "Hej"}).status_code == 404
    staff_page = client_for(caseworker).get(timeline).content.decode()
    assert "Mor på besøg" in staff_page and "Skjult af barnet" in staff_page
    assert "barnets yndlingsminder" in staff_page
    entry.refresh_from_db()
    assert entry.history.count() == 2  # who hid it, and when, is kept


def test_comments_are_kept_and_shown_with_the_entry(child, caseworker, foster_carer, client_for):
    entry = services.entry_add(
        actor=caseworker, child=child, title="Fødselsdag", happened_on=timezone.localdate()
    )
    url = reverse("lifebook:comment", args=[child.pk, entry.pk])
    carer = client_for(foster_carer)
    assert carer.post(url, {"text": "Sikke en dag!"}).status_code == 302
    assert carer.post(url, {"text": "   "}).status_code == 302  # refused with a message
    assert Comment.objects.get().author == foster_carer
    page = carer.get(reverse("lifebook:timeline", args=[child.pk])).content.decode()
    assert "Sikke en dag!" in page


def test_staff_seal_an_entry_and_carers_cannot(child, caseworker, foster_carer, client_for):
    data = {
        "title": "Dom",
        "happened_on": timezone.localdate().isoformat(),
        "sealed_until_age": "18",
        "attachment": SimpleUploadedFile("dom.pdf", pdf_bytes()),
    }
    url = reverse("lifebook:add", args=[child.pk])
    assert client_for(caseworker).post(url, data).status_code == 302
    sealed = Entry.objects.get(title="Dom")
    assert sealed.sealed_until_age == 18 and sealed.is_sealed_for(child)
    staff_page = client_for(caseworker).get(reverse("lifebook:timeline", args=[child.pk]))
    assert "Forseglet, til barnet er 18" in staff_page.content.decode()
    carer = client_for(foster_carer)
    assert "sealed_until_age" not in carer.get(url).content.decode()
    carer.post(url, {**data, "title": "Fra plejefamilien", "attachment": ""})
    assert Entry.objects.get(title="Fra plejefamilien").sealed_until_age is None
    document = reverse("lifebook:attachment", args=[child.pk, sealed.attachments.get().pk])
    assert carer.get(document).status_code == 404


def test_the_timeline_filters_by_place_person_and_milestone(
    child, caseworker, client_for, django_assert_max_num_queries
):
    today = timezone.localdate()
    for index, (place, people, milestone) in enumerate(
        [
            ("Plejefamilien Holm", "Mormor", "birthday"),
            ("Solsikken", "Ali", "move"),
            ("Solsikken", "Mormor og Ali", ""),
        ]
    ):
        services.entry_add(
            actor=caseworker,
            child=child,
            title=f"Historie {index}",
            happened_on=today - timedelta(days=index),
            place=place,
            people=people,
            milestone=milestone,
        )
    client = client_for(caseworker)
    url = reverse("lifebook:timeline", args=[child.pk])

    def titles(query):
        return re.findall(r"Historie \d", client.get(url, query).content.decode())

    assert titles({"place": "Solsikken"}) == ["Historie 1", "Historie 2"]
    assert titles({"person": "mormor"}) == ["Historie 0", "Historie 2"]
    assert titles({"milestone": "move"}) == ["Historie 1"]
    # An unknown place or an overlong name is ignored, not an error: everything is shown.
    assert titles({"place": "Nowhere"}) == ["Historie 0", "Historie 1", "Historie 2"]
    assert titles({"person": "x" * 500}) == ["Historie 0", "Historie 1", "Historie 2"]
    with django_assert_max_num_queries(22):
        client.get(url)


def test_the_timeline_query_count_does_not_grow_with_entries(
    child, caseworker, client_for, django_assert_num_queries
):
    client = client_for(caseworker)
    url = reverse("lifebook:timeline", args=[child.pk])

    def add(count):
        for index in range(count):
            entry = services.entry_add(
                actor=caseworker,
                child=child,
                title=f"E{index}",
                happened_on=timezone.localdate(),
                attachment=SimpleUploadedFile("lyd.wav", wav_sound()),
            )
            services.comment_add(actor=caseworker, entry=entry, text="Godt")

    add(2)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add(8)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


def test_a_new_contributor_is_invited_and_chooses_a_password(
    child, caseworker, client_for, django_capture_on_commit_callbacks, settings
):
    settings.TASKS = IMMEDIATE_TASKS
    url = reverse("lifebook:contributors", args=[child.pk])
    data = {
        "action": "invite",
        "invite-first_name": "Lone",
        "invite-last_name": "Holm",
        "invite-email": "lone@example.dk",
        "invite-role": "foster_carer",
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(caseworker).post(url, data).status_code == 302
    lone = User.objects.get(email="lone@example.dk")
    assert lone.role == Role.CONTRIBUTOR and not lone.has_usable_password()
    assert child.contributor_links.current().filter(user=lone).exists()
    (message,) = mail.outbox
    assert child.first_name not in message.body  # e-mail is not a case file
    link = re.search(r"http://\S+/password/set/\S+/", message.body).group(0)
    path = link.split("8000", 1)[1]
    client = Client()
    form = client.get(path, follow=True)
    assert "Vælg din adgangskode" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else path,
        {"new_password1": "Plejebarn-og-kat-2026", "new_password2": "Plejebarn-og-kat-2026"},
    )
    assert done.status_code == 302
    lone.refresh_from_db()
    assert lone.check_password("Plejebarn-og-kat-2026")
    # The link works once.
    assert "er brugt eller udløbet" in client.get(path, follow=True).content.decode()
    # Inviting a staff member's e-mail is refused clearly.
    refused = client_for(caseworker).post(url, {**data, "invite-email": caseworker.email})
    assert refused.status_code == 200 and refused.context["invite"].errors


def test_a_placement_ending_ends_its_carers_access_and_keeps_their_entries(
    child, caseworker, foster_carer, client_for
):
    today = timezone.localdate()
    placement = case_services.measure_add(
        actor=caseworker,
        child=child,
        kind=MeasureKind.FOSTER_CARE,
        place="Plejefamilien Holm",
        started_on=today - timedelta(days=300),
    )
    link = child.contributor_links.get(user=foster_carer)
    link.placement = placement
    link.save()
    entry = services.entry_add(
        actor=foster_carer, child=child, title="Sankthans", happened_on=today
    )
    timeline = reverse("lifebook:timeline", args=[child.pk])
    carer = client_for(foster_carer)
    # The placement is set to end next week: the carers keep the book until then.
    case_services.course_entry_update(
        actor=caseworker,
        entry=placement,
        ended_on=today + timedelta(days=7),
        end_kind="planned",
    )
    assert carer.get(timeline).status_code == 200
    # It ended yesterday: access is gone today, and what they added stays.
    placement = Measure.objects.get(pk=placement.pk)
    case_services.course_entry_update(
        actor=caseworker, entry=placement, ended_on=today - timedelta(days=1), end_kind="planned"
    )
    link.refresh_from_db()
    assert link.ended_on == today and not link.is_current
    assert carer.get(timeline).status_code == 404
    assert Entry.objects.filter(pk=entry.pk).exists()
    # The new home is linked for the new placement.
    new_home = case_services.measure_add(
        actor=caseworker, child=child, kind=MeasureKind.FOSTER_CARE, started_on=today
    )
    form = client_for(caseworker).get(reverse("lifebook:contributors", args=[child.pk]))
    assert str(new_home.pk) in form.content.decode() and f'value="{placement.pk}"' not in (
        form.content.decode()
    )
