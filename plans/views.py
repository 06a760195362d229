"""The child's view in a decision and its finality guard, "you said – we did", complaints."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from access.policy import child_for_request
from audit.models import AccessAction
from cases.models import Decision
from conversations.models import Statement, Wish
from conversations.readability import lix_limit
from conversations.visibility import statement_filter
from core.files import private_download
from core.forms import add_service_errors, whole_number
from core.pdf import render_pdf
from plans import forms, selectors, services
from plans.models import ChildPlan, Complaint


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


def _decision_page(
    request,
    child,
    decision,
    form=None,
    answer_form=None,
    notice_form=None,
    correction_form=None,
    status=200,
):
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
            "answers": list(decision.wish_answers.select_related("wish", "statement")),
            "open_wishes": list(selectors.open_wishes(child)),
            "complaints": list(decision.complaints.all()),
            "parties": selectors.decision_parties(decision),
            "complaint_weeks": settings.STEMME_COMPLAINT_WEEKS,
            "notice_form": notice_form or forms.DecisionNoticeForm(child=child),
            "correction_form": correction_form
            or forms.DecisionCorrectionForm(
                child=child,
                initial={
                    "decided_on": decision.decided_on,
                    "subject": decision.subject,
                    "measure": decision.measure_id,
                    "without_consent": decision.without_consent,
                },
            ),
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
def decision_notice(request, child_id, decision_id):
    """Record that the child or a custody holder was told of the decision, when and how."""
    child = child_for_request(request, child_id, record="decision")
    decision = _decision(child, decision_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = forms.DecisionNoticeForm(request.POST, child=child)
    if form.is_valid():
        try:
            services.decision_notice_record(
                actor=request.user, decision=decision, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("plans:decision", child_id=child.pk, decision_id=decision.pk)
    return _decision_page(request, child, decision, notice_form=form, status=400)


@login_required
def decision_correct(request, child_id, decision_id):
    """Correct a final decision with a new decision that replaces it."""
    child = child_for_request(request, child_id, record="decision")
    decision = _decision(child, decision_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = forms.DecisionCorrectionForm(request.POST, child=child)
    if form.is_valid():
        try:
            new = services.decision_correct(
                actor=request.user, decision=decision, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The correction is a draft until it is made final, like any decision.")
            )
            return redirect("plans:decision", child_id=child.pk, decision_id=new.pk)
    return _decision_page(request, child, decision, correction_form=form, status=400)


@login_required
def answer_wish(request, child_id, wish_id=None, statement_id=None):
    """You said – we did: answer one of the child's wishes or statements."""
    child = child_for_request(request, child_id, record="wish")
    said = {}
    if wish_id is not None:
        said["wish"] = Wish.objects.filter(pk=wish_id, child=child).first()
    else:
        said["statement"] = (
            Statement.objects.filter(pk=statement_id, conversation__child=child)
            .filter(statement_filter(request.user, child))
            .first()
        )
    if next(iter(said.values())) is None:
        raise Http404
    wish = next(iter(said.values()))
    form = forms.WishAnswerForm(request.POST or None, child=child, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        try:
            services.wish_answer(actor=request.user, **said, **form.cleaned_data)
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
    if (decision := whole_number(request.GET.get("decision", ""))) is not None:
        initial["decision"] = decision
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


def _plan(child, plan_id) -> ChildPlan:
    plan = ChildPlan.objects.filter(pk=plan_id, child=child).select_related("decision").first()
    if plan is None:
        raise Http404
    plan.child = child
    return plan


def _plan_page(request, child, plan, status=200, **bound):
    return render(
        request,
        "plans/plan.html",
        {
            "child": child,
            "plan": plan,
            "goals": list(plan.goals.all()),
            "measure_views": list(plan.measure_views.select_related("measure")),
            "goal_form": bound.get("goal") or forms.GoalForm(prefix="goal"),
            "measure_form": bound.get("measure")
            or forms.MeasureViewForm(child=child, prefix="measure"),
            "child_form": bound.get("for_child")
            or forms.ForChildForm(prefix="for_child", initial={"text": plan.version_for_child}),
            "adopt_form": bound.get("adopt") or forms.AdoptForm(prefix="adopt"),
            "response_form": bound.get("response") or forms.ChildResponseForm(prefix="response"),
            "lix_limit": lix_limit(child.age()),
        },
        status=status,
    )


@login_required
def plan_new(request, child_id):
    child = child_for_request(request, child_id, record="plan")
    initial = {}
    if (decision := whole_number(request.GET.get("decision", ""))) is not None:
        initial["decision"] = decision
    form = forms.PlanForm(request.POST or None, initial=initial, child=child)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(actor=request.user, child=child, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("plans:plan", child_id=child.pk, plan_id=plan.pk)
    return render(request, "plans/plan_new.html", {"child": child, "form": form})


@login_required
def plan(request, child_id, plan_id):
    child = child_for_request(request, child_id, record="plan")
    return _plan_page(request, child, _plan(child, plan_id))


PLAN_PARTS = {
    "goal": (lambda data, child: forms.GoalForm(data, prefix="goal"), services.goal_add),
    "measure": (
        lambda data, child: forms.MeasureViewForm(data, child=child, prefix="measure"),
        services.measure_view_add,
    ),
    "for_child": (
        lambda data, child: forms.ForChildForm(data, prefix="for_child"),
        services.plan_save_for_child,
    ),
    "adopt": (lambda data, child: forms.AdoptForm(data, prefix="adopt"), services.plan_adopt),
    "response": (
        lambda data, child: forms.ChildResponseForm(data, prefix="response"),
        services.plan_record_child_response,
    ),
}


@login_required
def plan_part(request, child_id, plan_id, part):
    """Save one part of the plan (goal, the child's view of a measure, the child's version,
    adoption, the child's answer); on bad input the page comes back with everything typed."""
    child = child_for_request(request, child_id, record="plan")
    plan = _plan(child, plan_id)
    if part not in PLAN_PARTS:
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    make_form, service = PLAN_PARTS[part]
    form = make_form(request.POST, child)
    if form.is_valid():
        try:
            service(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("plans:plan", child_id=child.pk, plan_id=plan.pk)
    return _plan_page(request, child, plan, **{part: form})


def _pdf_response(request, child, record: str, template: str, context: dict, filename: str):
    pdf = render_pdf(template, {"child": child, "municipality": child.municipality, **context})
    return private_download(
        request,
        child=child,
        record=record,
        action=AccessAction.EXPORT,
        content=pdf,
        name=filename,
        as_attachment=True,
    )


@login_required
def plan_pdf(request, child_id, plan_id):
    child = child_for_request(request, child_id, record="plan_pdf")
    plan = _plan(child, plan_id)
    return _pdf_response(
        request,
        child,
        f"plan:{plan.pk}",
        "plans/pdf_plan.html",
        {
            "plan": plan,
            "goals": list(plan.goals.all()),
            "measure_views": list(plan.measure_views.select_related("measure")),
        },
        f"plan-{plan.pk}.pdf",
    )


@login_required
def decision_pdf(request, child_id, decision_id):
    child = child_for_request(request, child_id, record="decision_pdf")
    decision = _decision(child, decision_id)
    return _pdf_response(
        request,
        child,
        f"decision:{decision.pk}",
        "plans/pdf_decision.html",
        {
            "decision": decision,
            "answers": list(decision.wish_answers.select_related("wish", "statement")),
            "parties": selectors.decision_parties(decision),
            "complaint_weeks": settings.STEMME_COMPLAINT_WEEKS,
        },
        f"afgoerelse-{decision.pk}.pdf",
    )
