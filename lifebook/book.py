"""The life book as a printable PDF. Photos are read from storage through WeasyPrint's URL
fetcher (`stemme-photo:<id>`), so a book with hundreds of photos is never one giant string."""

from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from accounts.models import Role
from lifebook.models import BookExport, BookStatus, Entry, Photo

PHOTO_SCHEME = "stemme-photo:"


class BookFetcher(URLFetcher):
    """Serves the child's photos from storage; never fetches from the internet."""

    def __init__(self, child_id: int):
        super().__init__(allowed_protocols={"file", "data"})
        self.child_id = child_id

    def fetch(self, url, headers=None):
        if url.startswith(PHOTO_SCHEME):
            photo = Photo.objects.filter(
                pk=int(url[len(PHOTO_SCHEME) :]), entry__child_id=self.child_id
            ).first()
            if photo is None:
                raise ValueError("no such photo")
            with photo.image.open("rb") as handle:
                data = handle.read()
            mime = "image/png" if photo.image.name.endswith(".png") else "image/jpeg"
            return URLFetcherResponse(url, body=data, headers={"Content-Type": mime})
        return super().fetch(url, headers)


def _progress(export: BookExport, percent: int) -> None:
    export.progress = percent
    export.save(update_fields=["progress"])


def render_book(export: BookExport) -> None:
    """Render the approved entries of the period, oldest first, and store the PDF."""
    export.status, export.progress = BookStatus.RENDERING, 5
    export.save(update_fields=["status", "progress"])
    # The printed book is the child's: sealed entries stay out until the child is old enough,
    # and what the child has hidden from others is printed only in the child's own copy.
    entries = Entry.objects.filter(child=export.child, approved_at__isnull=False).exclude(
        sealed_until_age__gt=export.child.age()
    )
    if export.requested_by.role != Role.CHILD:
        entries = entries.exclude(hidden_by_child=True)
    if export.date_from:
        entries = entries.filter(happened_on__gte=export.date_from)
    if export.date_to:
        entries = entries.filter(happened_on__lte=export.date_to)
    entries = list(entries.order_by("happened_on", "pk").prefetch_related("photos", "attachments"))
    html = render_to_string(
        "lifebook/pdf_book.html",
        {"child": export.child, "entries": entries, "export": export, "scheme": PHOTO_SCHEME},
    )
    _progress(export, 20)
    # Laying out the pages is most of the work; then the PDF is written with the photos.
    document = HTML(string=html, url_fetcher=BookFetcher(export.child_id)).render(
        stylesheets=[CSS(filename=finders.find("css/pdf.css"))]
    )
    _progress(export, 70)
    pdf = document.write_pdf()
    _progress(export, 95)
    export.pdf.save(f"livsbog-{export.child_id}-{export.pk}.pdf", ContentFile(pdf), save=False)
    export.pages = len(document.pages)
    export.status, export.progress, export.finished_at = BookStatus.DONE, 100, timezone.now()
    export.save(update_fields=["pdf", "pages", "status", "progress", "finished_at"])
