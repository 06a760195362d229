"""The life book: photos without metadata, refused files, approval, ended links, who is behind."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from conftest import png_bytes
from lifebook import services
from lifebook.models import Entry, Photo


def _jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (55.0, 38.0, 0.0), 3: "E", 4: (12.0, 5.0, 0.0)}
    exif[0x010F] = "PhoneMaker"
    return png_bytes(size=(1200, 900), exif=exif.tobytes())


def _post(client, child, photo_bytes=None, name="foto.jpg", **fields):
    data = {"title": "Sommerferie", "happened_on": timezone.localdate().isoformat(), **fields}
    if photo_bytes is not None:
        data["photo"] = SimpleUploadedFile(name, photo_bytes, content_type="image/jpeg")
    return client.post(reverse("lifebook:add", args=[child.pk]), data)


def test_every_stored_photo_and_thumbnail_has_no_location_or_other_metadata(
    child, foster_carer, client_for
):
    assert Image.open(io.BytesIO(_jpeg_with_gps())).getexif()  # the original has GPS
    response = _post(client_for(foster_carer), child, _jpeg_with_gps())
    assert response.status_code == 302
    photo = Photo.objects.get()
    for stored in (photo.image, photo.thumbnail):
        with stored.open("rb") as handle:
            image = Image.open(io.BytesIO(handle.read()))
            assert not image.getexif() and "exif" not in image.info
    with photo.thumbnail.open("rb") as handle:
        assert max(Image.open(io.BytesIO(handle.read())).size) <= 480


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "x.svg"),
        (b"MZ\x90\x00 this is a program", "photo.jpg"),
        (png_bytes()[:60], "broken.png"),
    ],
)
def test_files_that_are_not_photos_are_refused_and_nothing_is_stored(
    child, foster_carer, client_for, content, name
):
    response = _post(client_for(foster_carer), child, content, name=name)
    assert response.status_code == 200 and response.context["form"].errors
    assert not Entry.all_objects.exists() and not Photo.all_objects.exists()


def test_a_huge_photo_is_refused_with_a_clear_message(child, foster_carer, client_for, settings):
    settings.STEMME_MAX_IMAGE_BYTES = 1000
    response = _post(client_for(foster_carer), child, _jpeg_with_gps())
    assert response.status_code == 200 and "for stort" in response.content.decode()
    assert not Entry.all_objects.exists()


def test_a_contributors_entry_waits_for_the_caseworker(child, caseworker, foster_carer, client_for):
    _post(client_for(foster_carer), child, text="Vi var ved havet")
    entry = Entry.objects.get()
    assert not entry.is_approved and entry.author_role == "foster_carer"
    client = client_for(caseworker)
    page = client.get(reverse("lifebook:timeline", args=[child.pk]))
    assert "venter på rådgiveren" in page.content.decode()
    client.post(reverse("lifebook:approve", args=[child.pk, entry.pk]))
    entry.refresh_from_db()
    assert entry.is_approved and entry.approved_by == caseworker


def test_a_caseworkers_entry_is_visible_at_once(child, caseworker):
    entry = services.entry_add(
        actor=caseworker, child=child, title="Ny skole", happened_on=timezone.localdate()
    )
    assert entry.is_approved


def test_an_ended_link_closes_the_life_book(child, foster_carer, client_for):
    client = client_for(foster_carer)
    assert client.get(reverse("lifebook:timeline", args=[child.pk])).status_code == 200
    child.contributor_links.update(ended_on=timezone.localdate())
    assert client.get(reverse("lifebook:timeline", args=[child.pk])).status_code == 404
    assert _post(client, child).status_code == 404


def test_entries_about_the_future_are_refused(child, caseworker):
    with pytest.raises(ValidationError):
        services.entry_add(
            actor=caseworker,
            child=child,
            title="Snart",
            happened_on=timezone.localdate() + timedelta(days=3),
        )


def test_who_is_behind_follows_the_cadence(child, caseworker, foster_carer, settings):
    link = child.contributor_links.get()
    settings.STEMME_LIFEBOOK_CADENCE_DAYS = {
        **settings.STEMME_LIFEBOOK_CADENCE_DAYS,
        "foster_carer": 30,
    }
    link.started_on = timezone.localdate() - timedelta(days=30)
    link.save()
    assert services.contributors_behind([child.pk]) == []  # due today, not yet behind
    link.started_on = timezone.localdate() - timedelta(days=31)
    link.save()
    [behind] = services.contributors_behind([child.pk])
    assert behind.contributor == foster_carer and behind.days_behind == 1
    services.entry_add(
        actor=foster_carer, child=child, title="Fødselsdag", happened_on=timezone.localdate()
    )
    assert services.contributors_behind([child.pk]) == []


def test_timeline_filters_by_year_with_a_fixed_number_of_queries(
    child, caseworker, client_for, django_assert_max_num_queries
):
    client = client_for(caseworker)
    for days in (10, 400, 800):
        services.entry_add(
            actor=caseworker,
            child=child,
            title=f"Dag {days}",
            happened_on=timezone.localdate() - timedelta(days=days),
            photo=SimpleUploadedFile("p.png", png_bytes(), content_type="image/png"),
        )
    url = reverse("lifebook:timeline", args=[child.pk])
    with django_assert_max_num_queries(30) as few:
        page = client.get(url)
    assert len(page.context["years"]) >= 2
    for days in range(20):
        services.entry_add(
            actor=caseworker,
            child=child,
            title=f"Mere {days}",
            happened_on=timezone.localdate() - timedelta(days=days),
            photo=SimpleUploadedFile("p.png", png_bytes(), content_type="image/png"),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
    year = (timezone.localdate() - timedelta(days=400)).year
    filtered = client.get(url, {"year": year}).context["page"].object_list
    assert all(e.happened_on.year == year for e in filtered)


def test_the_caseworker_links_and_ends_a_contributor(
    child, caseworker, unlinked_contributor, foreign_caseworker, client_for
):
    client = client_for(caseworker)
    url = reverse("lifebook:contributors", args=[child.pk])
    timeline = reverse("lifebook:timeline", args=[child.pk])
    assert client_for(unlinked_contributor).get(timeline).status_code == 404
    response = client.post(
        url, {"action": "link", "user": unlinked_contributor.pk, "role": "teacher"}
    )
    assert response.status_code == 302
    assert client_for(unlinked_contributor).get(timeline).status_code == 200
    # The same contributor twice, or a user who is not a contributor: a clear refusal.
    again = client.post(url, {"action": "link", "user": unlinked_contributor.pk, "role": "teacher"})
    assert again.status_code == 200 and again.context["form"].errors
    staff = client.post(url, {"action": "link", "user": foreign_caseworker.pk, "role": "teacher"})
    assert staff.status_code == 200 and staff.context["form"].errors
    link = child.contributor_links.get(user=unlinked_contributor)
    entry = services.entry_add(
        actor=unlinked_contributor,
        child=child,
        title="Skolekoncert",
        happened_on=timezone.localdate(),
    )
    client.post(url, {"action": "end", "link": link.pk})
    link.refresh_from_db()
    assert link.ended_on == timezone.localdate()
    assert client_for(unlinked_contributor).get(timeline).status_code == 404
    assert Entry.objects.filter(pk=entry.pk).exists()  # what they added stays in the book


# The worker closes its database connection after a batch, as in production: no test transaction.
@pytest.mark.django_db(transaction=True)
def test_reminders_are_queued_and_sent_by_the_worker(child, foster_carer, mailoutbox, settings):
    from io import StringIO

    from django.core.management import call_command

    from lifebook.models import Reminder

    foster_carer.email = "plejefar@example.invalid"
    foster_carer.save()
    child.contributor_links.update(started_on=timezone.localdate() - timedelta(days=45))
    out = StringIO()
    call_command("lifebook_remind", stdout=out)
    assert "Queued 1" in out.getvalue()
    assert mailoutbox == []  # queued, not sent in the request or the command
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO())
    [mail] = mailoutbox
    assert mail.to == ["plejefar@example.invalid"] and "livsbog" in mail.body
    assert "Emma" not in mail.body and "Jensen" not in mail.body  # e-mail names no child
    assert Reminder.objects.count() == 1
    call_command("lifebook_remind", stdout=out)  # reminded lately: not again
    assert "Queued 0" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_the_book_is_made_in_the_background_and_prints_the_photos(child, caseworker, client_for):
    from io import StringIO

    from django.core.management import call_command
    from pypdf import PdfReader

    from lifebook.models import BookExport

    stories = (
        (300, "Flytning", (200, 0, 0)),
        (100, "Fødselsdag", (0, 200, 0)),
        (10, "Svømmemærke", (0, 0, 200)),
    )
    for days, title, colour in stories:
        services.entry_add(
            actor=caseworker,
            child=child,
            title=title,
            happened_on=timezone.localdate() - timedelta(days=days),
            photo=SimpleUploadedFile(
                "p.png", png_bytes(size=(600, 400), color=colour), content_type="image/png"
            ),
        )
    client = client_for(caseworker)
    response = client.post(
        reverse("lifebook:book", args=[child.pk]),
        {"date_from": (timezone.localdate() - timedelta(days=200)).isoformat()},
    )
    export = BookExport.objects.get()
    assert response["Location"] == reverse("lifebook:book_status", args=[child.pk, export.pk])
    waiting = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in waiting and "<progress" in waiting
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO())
    export.refresh_from_db()
    assert export.status == "done" and export.progress == 100
    ready = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in ready
    download = client.get(reverse("lifebook:book_download", args=[child.pk, export.pk]))
    pdf = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Fødselsdag" in text and "Svømmemærke" in text and "Flytning" not in text  # the period
    distinct = {hash(image.data) for page in pdf.pages for image in page.images}
    assert len(distinct) == 2  # the two photos of the period, printed


def test_a_book_period_that_ends_before_it_starts_is_refused(child, caseworker, client_for):
    response = client_for(caseworker).post(
        reverse("lifebook:book", args=[child.pk]),
        {"date_from": "2026-05-01", "date_to": "2026-01-01"},
    )
    assert response.status_code == 200 and response.context["form"].errors


def test_sealed_entries_stay_sealed_until_the_child_is_old_enough(
    child, caseworker, foster_carer, client_for
):
    from lifebook.book import render_book
    from lifebook.models import BookExport

    sealed = services.entry_add(
        actor=caseworker, child=child, title="Dom fra retten", happened_on=timezone.localdate()
    )
    Entry.objects.filter(pk=sealed.pk).update(sealed_until_age=child.age() + 3)
    services.entry_add(
        actor=caseworker, child=child, title="Skoleskift", happened_on=timezone.localdate()
    )
    carer_page = client_for(foster_carer).get(reverse("lifebook:timeline", args=[child.pk]))
    titles = [e.title for e in carer_page.context["page"].object_list]
    assert titles == ["Skoleskift"]
    export = BookExport.objects.create(child=child, requested_by=caseworker)
    render_book(export)
    from pypdf import PdfReader

    with export.pdf.open("rb") as handle:
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
    assert "Skoleskift" in text and "Dom fra retten" not in text
    Entry.objects.filter(pk=sealed.pk).update(sealed_until_age=child.age())  # old enough now
    carer_page = client_for(foster_carer).get(reverse("lifebook:timeline", args=[child.pk]))
    assert len(carer_page.context["page"].object_list) == 2
