"""The person's own file: staff ask for it on the person's behalf, review it (withholding
another person's confidential information, with a reason) and release it; the person asks for
it and downloads it in the portal once released."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from access.policy import child_for_request, own_child_for_portal
from audit.models import AccessAction
from cases.models import ConcernReport, NetworkMember
from conversations.models import Statement
from core.files import private_download
from core.forms import add_service_errors
from lifebook.models import Comment, Entry
from portal.views import child_required
from records import services
from records.models import FileStatus, Withheld

# The records that most often hold another person's information, offered for review.
REVIEWED = [
    ("cases.ConcernReport", ConcernReport, "case__child", lambda r: f"{r.source}: {r.summary}"),
    ("conversations.Statement", Statement, "conversation__child", lambda r: r.text),
    ("cases.NetworkMember", NetworkMember, "child", lambda r: f"{r.name} ({r.relation})"),
    ("lifebook.Entry", Entry, "child", lambda r: f"{r.title}: {r.text[:120]}"),
    ("lifebook.Comment", Comment, "entry__child", lambda r: r.text[:160]),
]
LIMIT = 200


class WithholdForm(forms.Form):
    model = forms.ChoiceField(choices=[(label, label) for label, *_rest in REVIEWED])
    record_pk = forms.IntegerField(min_value=1)
    reason = forms.CharField(
        label=_("Why it is withheld"),
        max_length=300,
        help_text=_("For example: the reporter's identity is confidential."),
    )


def _files(child):
    return child.person_files.select_related("requested_by", "released_by")


@login_required
def staff_files(request, child_id):
    child = child_for_request(request, child_id, record="person_file")
    if request.method == "POST":
        person_file = services.person_file_request(actor=request.user, child=child)
        return redirect("records:file", child_id=child.pk, file_id=person_file.pk)
    return render(
        request,
        "records/files.html",
        {"child": child, "files": list(_files(child)[:20]), "may_ask": True},
    )


@login_required
def staff_file(request, child_id, file_id):
    """One file: its progress, and in review the records to withhold and the release."""
    child = child_for_request(request, child_id, record="person_file")
    person_file = _files(child).filter(pk=file_id).first()
    if person_file is None:
        raise Http404
    if request.headers.get("HX-Request"):
        return render(request, "records/_progress.html", {"child": child, "file": person_file})
    form = WithholdForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "release":
                services.person_file_release(actor=request.user, person_file=person_file)
                return redirect("records:file", child_id=child.pk, file_id=person_file.pk)
            if form.is_valid():
                services.person_file_withhold(
                    actor=request.user, person_file=person_file, **form.cleaned_data
                )
                return redirect("records:file", child_id=child.pk, file_id=person_file.pk)
        except ValidationError as error:
            add_service_errors(form, error)
    withheld = {
        (w.model, w.record_pk): w.reason
        for w in Withheld.objects.filter(child=child, lifted_at__isnull=True)
    }
    candidates = [
        (label, record.pk, describe(record), withheld.get((label, record.pk)))
        for label, model, path, describe in REVIEWED
        for record in model.objects.filter(**{path: child}).order_by("pk")[:LIMIT]
    ]
    return render(
        request,
        "records/file.html",
        {"child": child, "file": person_file, "form": form, "candidates": candidates},
        status=400 if form.errors else 200,
    )


@login_required
def staff_download(request, child_id, file_id, kind):
    child = child_for_request(request, child_id, record="person_file")
    person_file = _files(child).filter(pk=file_id).first()
    return _download(request, child, person_file, kind)


def _download(request, child, person_file, kind):
    ready = (FileStatus.REVIEW, FileStatus.RELEASED)
    if kind not in ("pdf", "zip") or person_file is None or person_file.status not in ready:
        raise Http404
    field = person_file.pdf if kind == "pdf" else person_file.package
    if not field:
        raise Http404
    return private_download(
        request,
        child=child,
        record=f"person_file:{person_file.pk}",
        action=AccessAction.DOWNLOAD,
        content=field.open("rb"),
        name=f"min-fil-{person_file.pk}.{'pdf' if kind == 'pdf' else 'zip'}",
        as_attachment=True,
    )


@child_required
def my_file(request):
    """The person asks for their own file and downloads it once staff have released it."""
    child = own_child_for_portal(request, record="portal_file")
    allowed = services.may_ask_for_own_file(child)
    if request.method == "POST" and allowed:
        services.person_file_request(actor=request.user, child=child, by_the_person=True)
        return redirect("records:my_file")
    files = list(child.person_files.filter(by_the_person=True)[:5])
    return render(
        request, "records/my_file.html", {"child": child, "files": files, "allowed": allowed}
    )


@child_required
def my_file_download(request, file_id, kind):
    child = own_child_for_portal(request, record="portal_file")
    person_file = child.person_files.filter(pk=file_id, status=FileStatus.RELEASED).first()
    return _download(request, child, person_file, kind)
