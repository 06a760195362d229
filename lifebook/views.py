"""The life book: the timeline, adding an entry (phone-first for carers), approving entries,
and photos served only through the access check."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from access.policy import Need, child_for_request
from accounts.models import Role
from audit.models import AccessAction
from core.files import private_download
from core.forms import add_service_errors
from core.uploads import MediaKind
from lifebook import services
from lifebook.forms import BookForm, CommentForm, EntryForm, InviteForm, LinkForm, TimelineFilter
from lifebook.models import Attachment, BookStatus, Entry, Photo

ENTRIES_PER_PAGE = 30


@login_required
def timeline(request, child_id):
    child = child_for_request(request, child_id, need=Need.LIFE_BOOK, record="lifebook")
    visible = services.entries_visible_to(request.user, child)
    years = sorted({d.year for d in visible.dates("happened_on", "year")}, reverse=True)
    places = visible.exclude(place="").order_by("place").values_list("place", flat=True)
    filters = TimelineFilter(request.GET, places=places.distinct())
    page = Paginator(services.with_media(filters.apply(visible)), ENTRIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "lifebook/timeline.html",
        {
            "child": child,
            "page": page,
            "years": years,
            "year": request.GET.get("year", ""),
            "filters": filters,
            "filtered": any(filters.data.get(name) for name in ("place", "person", "milestone")),
            "is_staff": request.user.role != Role.CONTRIBUTOR,
        },
    )


@login_required
def add(request, child_id):
    child = child_for_request(request, child_id, need=Need.LIFE_BOOK, record="lifebook")
    staff = request.user.role != Role.CONTRIBUTOR
    form = EntryForm(request.POST or None, request.FILES or None, staff=staff)
    if request.method == "POST" and form.is_valid():
        entry = add_from_form(request, child, form)
        if entry is not None:
            if entry.is_approved:
                messages.success(request, _("Added to the life book."))
            else:
                messages.success(
                    request, _("Thank you! The caseworker looks at it before the child sees it.")
                )
            return redirect("lifebook:timeline", child_id=child.pk)
    return render(request, "lifebook/add.html", {"child": child, "form": form})


def add_from_form(request, child, form) -> Entry | None:
    """Add the entry of a valid EntryForm with its files; None (with the errors on the form)
    if a file or the date is refused."""
    data = dict(form.cleaned_data)
    photo, attachment = data.pop("photo", None), data.pop("attachment", None)
    try:
        return services.entry_add(
            actor=request.user, child=child, photo=photo, attachment=attachment, **data
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def visible_entry_or_404(request, child, entry_id) -> Entry:
    entry = services.entries_visible_to(request.user, child).filter(pk=entry_id).first()
    if entry is None:
        raise Http404
    return entry


def photo_download(request, child, photo_id):
    """A photo (or its thumbnail) of an entry this user may see; 404 otherwise."""
    record = Photo.objects.filter(
        pk=photo_id, entry__in=services.entries_visible_to(request.user, child)
    ).first()
    if record is None:
        raise Http404
    stored = record.thumbnail if request.GET.get("size") == "thumb" else record.image
    return private_download(
        request,
        child=child,
        record=f"photo:{record.pk}",
        action=AccessAction.DOWNLOAD,
        content=stored.open("rb"),
        name=stored.name,
    )


def attachment_download(request, child, attachment_id):
    """A video or sound plays in the page; a document is downloaded (never shown inline)."""
    record = Attachment.objects.filter(
        pk=attachment_id, entry__in=services.entries_visible_to(request.user, child)
    ).first()
    if record is None:
        raise Http404
    return private_download(
        request,
        child=child,
        record=f"attachment:{record.pk}",
        action=AccessAction.DOWNLOAD,
        content=record.file.open("rb"),
        name=record.name or record.file.name,
        as_attachment=record.kind == MediaKind.DOCUMENT,
    )


@login_required
def comment(request, child_id, entry_id):
    """Everyone who sees an entry can comment on it: the child, a carer, the caseworker."""
    child = child_for_request(request, child_id, need=Need.LIFE_BOOK, record="lifebook")
    entry = visible_entry_or_404(request, child, entry_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = CommentForm(request.POST)
    if form.is_valid():
        services.comment_add(actor=request.user, entry=entry, text=form.cleaned_data["text"])
        messages.success(request, _("Your comment is added."))
    else:
        messages.error(
            request,
            _("The comment was not saved: %(error)s")
            % {"error": " ".join(form.errors.get("text", []))},
        )
    return redirect(f"{reverse('lifebook:timeline', args=[child.pk])}#entry-{entry.pk}")


@login_required
def approve(request, child_id, entry_id):
    child = child_for_request(request, child_id, record="lifebook_approve")
    entry = Entry.objects.filter(pk=entry_id, child=child).first()
    if entry is None:
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.entry_approve(actor=request.user, entry=entry)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Approved: the child can see it."))
    return redirect("lifebook:timeline", child_id=child.pk)


@login_required
def photo(request, child_id, photo_id):
    child = child_for_request(request, child_id, need=Need.LIFE_BOOK, record="lifebook_photo")
    return photo_download(request, child, photo_id)


@login_required
def attachment(request, child_id, attachment_id):
    child = child_for_request(request, child_id, need=Need.LIFE_BOOK, record="lifebook_attachment")
    return attachment_download(request, child, attachment_id)


@login_required
def contributors(request, child_id):
    """The caseworker links, invites and unlinks the child's contributors."""
    child = child_for_request(request, child_id, record="contributors")
    action = request.POST.get("action") if request.method == "POST" else None
    form = LinkForm(request.POST if action == "link" else None, child=child)
    invite = InviteForm(request.POST if action == "invite" else None, child=child, prefix="invite")
    if action in ("end", "resend"):
        link_id = request.POST.get("link", "")
        link = child.contributor_links.filter(pk=link_id).first() if link_id.isdecimal() else None
        if link is None:
            raise Http404
        try:
            if action == "end":
                services.contributor_unlink(actor=request.user, link=link)
                messages.success(request, _("The link has ended; what they added stays."))
            else:
                services.contributor_reinvite(actor=request.user, link=link)
                messages.success(request, _("A new invitation is on its way."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("lifebook:contributors", child_id=child.pk)
    for bound, service, done in (
        (form, services.contributor_link, _("The contributor is linked to the child.")),
        (invite, services.contributor_invite, _("The invitation is sent, and the link made.")),
    ):
        if bound.is_bound and bound.is_valid():
            try:
                service(actor=request.user, child=child, **bound.cleaned_data)
            except ValidationError as error:
                add_service_errors(bound, error)
            else:
                messages.success(request, done)
                return redirect("lifebook:contributors", child_id=child.pk)
    links = child.contributor_links.select_related("user", "placement").order_by(
        "ended_on", "-started_on"
    )
    return render(
        request,
        "lifebook/contributors.html",
        {
            "child": child,
            "form": form,
            "invite": invite,
            "links": list(links),
            "behind": {b.contributor.pk for b in services.contributors_behind([child.pk])},
        },
    )


@login_required
def book(request, child_id):
    """Ask for the book as a PDF (all of it, or a period); it is made in the background."""
    child = child_for_request(request, child_id, record="lifebook_book")
    form = BookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        export = services.book_request(child=child, requested_by=request.user, **form.cleaned_data)
        return redirect("lifebook:book_status", child_id=child.pk, export_id=export.pk)
    exports = list(child.book_exports.order_by("-created_at")[:10])
    return render(request, "lifebook/book.html", {"child": child, "form": form, "exports": exports})


@login_required
def book_status(request, child_id, export_id):
    """The progress while the book is made; HTMX asks again every two seconds until ready."""
    child = child_for_request(request, child_id, record="lifebook_book")
    return book_progress(
        request, child, child.book_exports.filter(pk=export_id), "lifebook/book_status.html"
    )


def book_progress(request, child, exports, page_template: str, **extra):
    """The book among `exports` (already limited to this reader): its whole page, or for HTMX
    only the progress, which asks again every two seconds until the book is ready."""
    export = exports.first()
    if export is None:
        raise Http404
    template = (
        "lifebook/_book_progress.html" if request.headers.get("HX-Request") else page_template
    )
    return render(request, template, {"child": child, "export": export, **extra})


@login_required
def book_download(request, child_id, export_id):
    child = child_for_request(request, child_id, record="lifebook_book")
    return book_pdf_download(request, child, child.book_exports.filter(pk=export_id))


def book_pdf_download(request, child, exports):
    """The finished book among `exports` (already limited to what this reader may fetch)."""
    export = exports.filter(status=BookStatus.DONE).first()
    if export is None or not export.pdf:
        raise Http404
    return private_download(
        request,
        child=child,
        record=f"lifebook_book:{export.pk}",
        action=AccessAction.EXPORT,
        content=export.pdf.open("rb"),
        name=f"livsbog-{export.pk}.pdf",
        as_attachment=True,
    )
