"""The life book: the timeline, adding an entry (phone-first for carers), approving entries,
and photos served only through the access check."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from access.policy import Need, child_for_request
from accounts.models import Role
from audit.models import AccessAction
from core.files import private_download
from core.forms import add_service_errors
from lifebook import services
from lifebook.forms import BookForm, EntryForm, LinkForm
from lifebook.models import BookExport, BookStatus, Entry, Photo
from lifebook.tasks import render_book_task

ENTRIES_PER_PAGE = 30


def _visible_entries(user, child):
    """Staff see every entry; a contributor sees approved ones and their own, and never one
    sealed until the child is older."""
    entries = Entry.objects.filter(child=child)
    if user.role == Role.CONTRIBUTOR:
        entries = entries.filter(Q(approved_at__isnull=False) | Q(author=user)).exclude(
            sealed_until_age__gt=child.age()
        )
    return entries


@login_required
def timeline(request, child_id):
    child = child_for_request(request, child_id, need=Need.LIFE_BOOK, record="lifebook")
    entries = _visible_entries(request.user, child)
    years = sorted({d.year for d in entries.dates("happened_on", "year")}, reverse=True)
    year = request.GET.get("year", "")
    if year.isdigit():
        entries = entries.filter(happened_on__year=int(year))
    page = Paginator(
        entries.select_related("author").prefetch_related("photos"), ENTRIES_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "lifebook/timeline.html",
        {
            "child": child,
            "page": page,
            "years": years,
            "year": year,
            "is_staff": request.user.role != Role.CONTRIBUTOR,
        },
    )


@login_required
def add(request, child_id):
    child = child_for_request(request, child_id, need=Need.LIFE_BOOK, record="lifebook")
    form = EntryForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        photo = data.pop("photo", None)
        try:
            entry = services.entry_add(actor=request.user, child=child, photo=photo, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if entry.is_approved:
                messages.success(request, _("Added to the life book."))
            else:
                messages.success(
                    request, _("Thank you! The caseworker looks at it before the child sees it.")
                )
            return redirect("lifebook:timeline", child_id=child.pk)
    return render(request, "lifebook/add.html", {"child": child, "form": form})


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
    record = (
        Photo.objects.filter(pk=photo_id, entry__in=_visible_entries(request.user, child))
        .select_related("entry")
        .first()
    )
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


@login_required
def contributors(request, child_id):
    """The caseworker links and unlinks the child's contributors."""
    child = child_for_request(request, child_id, record="contributors")
    form = LinkForm(request.POST or None, child=child)
    if request.method == "POST":
        if "end" in request.POST:
            link = child.contributor_links.filter(pk=request.POST.get("end")).first()
            if link is None:
                raise Http404
            try:
                services.contributor_unlink(actor=request.user, link=link)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("The link has ended; what they added stays."))
            return redirect("lifebook:contributors", child_id=child.pk)
        if form.is_valid():
            try:
                services.contributor_link(actor=request.user, child=child, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The contributor is linked to the child."))
                return redirect("lifebook:contributors", child_id=child.pk)
    links = child.contributor_links.select_related("user").order_by("ended_on", "-started_on")
    return render(
        request,
        "lifebook/contributors.html",
        {
            "child": child,
            "form": form,
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
        export = BookExport.objects.create(
            child=child, requested_by=request.user, **form.cleaned_data
        )
        render_book_task.enqueue(export.pk)
        return redirect("lifebook:book_status", child_id=child.pk, export_id=export.pk)
    exports = list(child.book_exports.order_by("-created_at")[:10])
    return render(request, "lifebook/book.html", {"child": child, "form": form, "exports": exports})


@login_required
def book_status(request, child_id, export_id):
    """The progress while the book is made; HTMX asks again every two seconds until ready."""
    child = child_for_request(request, child_id, record="lifebook_book")
    export = child.book_exports.filter(pk=export_id).first()
    if export is None:
        raise Http404
    template = (
        "lifebook/_book_progress.html"
        if request.headers.get("HX-Request")
        else "lifebook/book_status.html"
    )
    return render(request, template, {"child": child, "export": export})


@login_required
def book_download(request, child_id, export_id):
    child = child_for_request(request, child_id, record="lifebook_book")
    export = child.book_exports.filter(pk=export_id, status=BookStatus.DONE).first()
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
