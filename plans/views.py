"""The child's view in a decision and its finality guard, "you said – we did", complaints."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from access.policy import child_for_request
from cases.models import Decision
from conversations.models import Wish
from conversations.readability import lix_limit
from core.forms import add_service_errors
from plans import forms, selectors, services
from plans.models import Complaint


def _decision(child, decision_id) -> Decision:
    decision = (
        Decision.objects.filter(pk=decision_id, case__child=child)
        .select_related("case__child", "measure")
        .first()
    )
    if decision is None:
        raise Http404
    decision.case.child = child
    return decision


def _decision_page(request, child, decision, form=None, answer_form=None, status=200):
    return render(
        request,
        "plans/decision.html",
        {
            "child": child,
            "decision": decision,
            "form": form or forms.ChildsViewForm(instance=decision),
            "answer_form": answer_form
            or forms.WishAnswerForm(child=child, initial={"decision": decision.pk}),
            "problems": [] if decision.is_final else services.finality_problems(decision),
            "lix_limit": lix_limit(decision.child_age_at_decision()),
            "conversations": list(decision.conversations.all()),
            "answers": list(decision.wish_answers.select_related("wish")),
            "open_wishes": list(selectors.open_wishes(child)),
            "complaints": list(decision.complaints.all()),
        },
        status=status,
    )


@login_required
def decision(request, child_id, decision_id):
    child = child_for_request(request, child_id, record="decision")
    decision = _decision(child, decision_id)
    if request.method == "POST":
        form = forms.ChildsViewForm(request.POST, instance=decision)
        if form.is_valid():
            try:
                services.decision_record_childs_view(
                    actor=request.user, decision=decision, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("plans:decision", child_id=child.pk, decision_id=decision.pk)
        return _decision_page(request, child, decision, form=form)
    return _decision_page(request, child, decision)


@login_required
def make_final(request, child_id, decision_id):
    child = child_for_request(request, child_id, record="decision")
    decision = _decision(child, decision_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.decision_make_final(actor=request.user, decision=decision)
    except ValidationError as error:
        messages.error(
            request,
            _("The decision cannot be made final yet: %(why)s") % {"why": " ".join(error.messages)},
        )
    else:
        messages.success(request, _("The decision is final."))
    return redirect("plans:decision", child_id=child.pk, decision_id=decision.pk)


@login_required
def answer_wish(request, child_id, wish_id):
    """You said – we did: answer one of the child's wishes."""
    child = child_for_request(request, child_id, record="wish")
    wish = Wish.objects.filter(pk=wish_id, child=child).first()
    if wish is None:
        raise Http404
    form = forms.WishAnswerForm(request.POST or None, child=child, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        try:
            services.wish_answer(actor=request.user, wish=wish, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The child's wish is answered."))
            return redirect("cases:child", child_id=child.pk)
    return render(request, "plans/answer_wish.html", {"child": child, "wish": wish, "form": form})


@login_required
def complaint(request, child_id, complaint_id=None):
    child = child_for_request(request, child_id, record="complaint")
    existing = None
    if complaint_id is not None:
        existing = Complaint.objects.filter(pk=complaint_id, child=child).first()
        if existing is None:
            raise Http404
    initial = {}
    if request.GET.get("decision", "").isdigit():
        initial["decision"] = int(request.GET["decision"])
    form = forms.ComplaintForm(
        request.POST or None, instance=existing, initial=initial, child=child
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.complaint_record(
                actor=request.user, child=child, complaint=existing, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("cases:child", child_id=child.pk)
    return render(request, "plans/complaint.html", {"child": child, "form": form})
