"""The head of department's bulk import: upload the case system's file, see the dry run row by
row, then import it whole."""

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from api import imports
from api.models import ImportBatch

IMPORTERS = (Role.HEAD_OF_DEPARTMENT,)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("The case system's file (CSV or Excel)"),
        help_text=_(
            "One row per child. Columns: barn_id, cpr, fornavn, efternavn, raadgiver, and if you "
            "like kaldenavn, sprog, sag_id, sag_aabnet, sag_lukket, lukkebegrundelse."
        ),
    )


def _importer(request):
    if request.user.role not in IMPORTERS:
        raise PermissionDenied
    return request.user


def _batch(request, batch_id) -> ImportBatch:
    return get_object_or_404(ImportBatch, pk=batch_id, municipality_id=request.user.municipality_id)


@login_required
def import_start(request):
    """Upload a file: it is read here and checked by the worker (a dry run), never imported
    straight away."""
    actor = _importer(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = imports.batch_submit(
                actor=actor,
                name=upload.name,
                data=upload.read(settings.STEMME_IMPORT_MAX_BYTES + 1),
            )
        except imports.ImportFileError as refused:
            form.add_error("file", str(refused))
        else:
            return redirect("imports:batch", batch_id=batch.pk)
    recent = ImportBatch.objects.filter(municipality_id=actor.municipality_id).select_related(
        "created_by", "imported_by"
    )[:10]
    return render(
        request,
        "api/import.html",
        {"form": form, "recent": recent},
        status=400 if form.errors else 200,
    )


@login_required
def import_batch(request, batch_id):
    """The dry run's report: what would be created, updated or left as it is, and every
    refused row with the reason; while the worker checks or imports, the page follows it."""
    _importer(request)
    return render(request, "api/import_batch.html", {"batch": _batch(request, batch_id)})


@login_required
@require_POST
def import_commit(request, batch_id):
    actor = _importer(request)
    batch = _batch(request, batch_id)
    try:
        imports.batch_import_request(actor=actor, batch=batch)
    except ValidationError as refused:
        return render(
            request,
            "api/import_batch.html",
            {"batch": batch, "problem": " ".join(refused.messages)},
            status=400,
        )
    return redirect("imports:batch", batch_id=batch.pk)
