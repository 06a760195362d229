"""Writes for the child's view in decisions, "you said – we did", and complaints."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api import webhooks
from cases.models import Decision
from cases.services import require_draft_decision
from conversations.readability import lix, lix_limit, require_readable
from conversations.rules import decision_has_conversation
from core.services import save_recorded
from plans.models import (
    AnswerOutcome,
    ChildPlan,
    Complaint,
    ComplaintOutcome,
    DecisionNotice,
    MeasureView,
    PlanGoal,
    WishAnswer,
)
from plans.rules import plan_kind_for_age


@transaction.atomic
def decision_record_childs_view(*, actor, decision: Decision, **fields) -> Decision:
    """Save the child's view, how it was weighed, and the explanation for the child (a draft
    can be saved half-written; the finality guard checks it is complete)."""
    require_draft_decision(decision)
    for name, value in fields.items():
        setattr(decision, name, value)
    text = decision.explanation_for_child
    decision.explanation_lix = lix(text) if text.strip() else None
    return save_recorded(decision, actor=actor)


@transaction.atomic
def decision_notice_record(
    *, actor, decision: Decision, told_on, told_how: str, custody_holder=None
) -> DecisionNotice:
    """Record when one party — the child, or a custody holder — was told of the decision, and
    how; a later record for the same party corrects the date (the history keeps the old).
    Retssikkerhedsloven § 67, stk. 1: that party's 4 weeks to complain run from this day.
    Telling is not a change of the decision, so it is recorded on drafts and final ones alike."""
    errors = {}
    if told_on is None:
        errors["told_on"] = _("Give the day they were told.")
    elif told_on > timezone.localdate():
        errors["told_on"] = _("Nobody can be told in the future.")
    elif told_on < decision.decided_on:
        errors["told_on"] = _("Nobody can be told of a decision before it was made.")
    if not (told_how or "").strip():
        errors["told_how"] = _("Say how they were told (for example: at a visit, by letter).")
    if custody_holder is not None and (
        custody_holder.child_id != decision.case.child_id or not custody_holder.holds_custody
    ):
        errors["custody_holder"] = _("Choose one of the child's custody holders.")
    if errors:
        raise ValidationError(errors)
    notice = DecisionNotice.objects.filter(
        decision=decision, custody_holder=custody_holder
    ).first() or DecisionNotice(decision=decision, custody_holder=custody_holder, created_by=actor)
    notice.told_on = told_on
    notice.told_how = told_how.strip()
    save_recorded(notice, actor=actor)
    if custody_holder is None:
        # The decision's own copy of the child's notice, for the insights' SQL counts; it is
        # not part of what was decided, so it follows the notice also on a final decision.
        Decision.objects.filter(pk=decision.pk).update(
            child_told_on=notice.told_on, child_told_how=notice.told_how
        )
        decision.child_told_on, decision.child_told_how = notice.told_on, notice.told_how
    return notice


@transaction.atomic
def decision_correct(
    *,
    actor,
    decision: Decision,
    reason: str,
    decided_on,
    subject: str,
    measure=None,
    without_consent: bool = False,
) -> Decision:
    """Correct a final decision: a new decision (a draft, with the child's view carried over)
    replaces it. Both are kept and linked, with the reason; the new one is made final through
    the same guard as every decision."""
    decision = Decision.objects.select_for_update().select_related("case").get(pk=decision.pk)
    if not decision.is_final:
        raise ValidationError(_("A draft is changed directly; only a final decision is corrected."))
    if Decision.all_objects.filter(replaces=decision).exists():
        raise ValidationError(_("This decision has already been corrected."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the decision is corrected.")})
    if measure is not None and measure.case.child_id != decision.case.child_id:
        raise ValidationError({"measure": _("Choose one of the child's own measures.")})
    return save_recorded(
        Decision(
            case=decision.case,
            decided_on=decided_on,
            subject=subject,
            measure=measure,
            without_consent=without_consent,
            replaces=decision,
            correction_reason=reason.strip(),
            childs_view=decision.childs_view,
            how_weighed=decision.how_weighed,
            differs_from_wish=decision.differs_from_wish,
            why_differs=decision.why_differs,
            explanation_for_child=decision.explanation_for_child,
            explanation_lix=decision.explanation_lix,
        ),
        actor=actor,
        reason="corrects a final decision",
    )


def finality_problems(decision: Decision) -> list[str]:
    """What stands between the decision and being final, in plain words (empty: nothing)."""
    problems = []
    # Barnets lov § 5: a conversation before the decision, or a lawful recorded reason.
    if not decision_has_conversation(decision):
        problems.append(
            _(
                "No conversation with the child before the decision: hold one, or record why "
                "it was not held (§ 5)."
            )
        )
    if not decision.childs_view.strip():
        problems.append(_("Write the child's view."))
    if not decision.how_weighed.strip():
        problems.append(_("Write how the child's view was weighed."))
    if decision.differs_from_wish and not decision.why_differs.strip():
        problems.append(_("Explain why the decision differs from what the child wished."))
    if not decision.explanation_for_child.strip():
        problems.append(_("Write the explanation for the child."))
    elif (decision.explanation_lix or 0) > lix_limit(decision.child_age_at_decision()):
        problems.append(
            _("The explanation for the child is too hard to read (LIX %(lix)d, limit %(limit)d).")
            % {
                "lix": decision.explanation_lix,
                "limit": lix_limit(decision.child_age_at_decision()),
            }
        )
    return problems


@transaction.atomic
def decision_make_final(*, actor, decision: Decision) -> Decision:
    """Make the decision final — refused, with every reason, while the child's view is missing."""
    decision = (
        Decision.objects.select_for_update().select_related("case__child").get(pk=decision.pk)
    )
    if decision.is_final:
        raise ValidationError(_("The decision is already final."))
    problems = finality_problems(decision)
    if problems:
        raise ValidationError(problems)
    decision.finalised_at = timezone.now()
    save_recorded(decision, actor=actor, reason="made final")
    webhooks.notify(webhooks.DECISION_FINAL, child=decision.case.child, record_id=decision.pk)
    return decision


@transaction.atomic
def wish_answer(
    *,
    actor,
    outcome: str,
    answer_to_child: str,
    wish=None,
    statement=None,
    decision=None,
    measure=None,
    goal=None,
) -> WishAnswer:
    """You said – we did: answer one of the child's wishes or statements with what was done,
    or why not."""
    if (wish is None) == (statement is None):
        raise ValidationError(_("Answer one wish or one statement at a time."))
    if not (answer_to_child or "").strip():
        raise ValidationError({"answer_to_child": _("Write the answer to the child.")})
    if outcome == AnswerOutcome.NOT_DONE and len(answer_to_child.strip()) < 15:
        raise ValidationError(
            {"answer_to_child": _("Tell the child why we could not do it, in a full sentence.")}
        )
    child_id = wish.child_id if wish is not None else statement.conversation.child_id
    for linked in (decision, measure):
        if linked is not None and linked.case.child_id != child_id:
            raise ValidationError(_("Choose one of the child's own decisions or measures."))
    if goal is not None and goal.plan.child_id != child_id:
        raise ValidationError(_("Choose one of the child's own decisions or measures."))
    return save_recorded(
        WishAnswer(
            wish=wish,
            statement=statement,
            decision=decision,
            measure=measure,
            goal=goal,
            outcome=outcome,
            answer_to_child=answer_to_child.strip(),
            created_by=actor,
        ),
        actor=actor,
    )


@transaction.atomic
def complaint_record(*, actor, child, complaint: Complaint | None = None, **fields) -> Complaint:
    complaint = complaint or Complaint(child=child)
    for name, value in fields.items():
        setattr(complaint, name, value)
    if complaint.decision is not None and complaint.decision.case.child_id != child.pk:
        raise ValidationError({"decision": _("Choose one of the child's own decisions.")})
    if complaint.outcome != ComplaintOutcome.PENDING and complaint.closed_on is None:
        complaint.closed_on = timezone.localdate()
    if complaint.closed_on and complaint.closed_on < complaint.received_on:
        raise ValidationError({"closed_on": _("A complaint cannot close before it was received.")})
    return save_recorded(complaint, actor=actor)


@transaction.atomic
def plan_create(
    *, actor, child, next_review_on, decision=None, family_support: str = ""
) -> ChildPlan:
    """Start the child's plan; from 16 it is an ungeplan (§ 108)."""
    if decision is not None and decision.case.child_id != child.pk:
        raise ValidationError({"decision": _("Choose one of the child's own decisions.")})
    if next_review_on <= timezone.localdate():
        raise ValidationError({"next_review_on": _("The next review must lie in the future.")})
    return save_recorded(
        ChildPlan(
            child=child,
            kind=plan_kind_for_age(child.age()),
            decision=decision,
            next_review_on=next_review_on,
            family_support=family_support,
            created_by=actor,
        ),
        actor=actor,
    )


def _require_draft(plan: ChildPlan) -> None:
    if plan.is_adopted:
        raise ValidationError(_("An adopted plan is changed by making a new plan."))


@transaction.atomic
def goal_add(
    *, actor, plan: ChildPlan, childs_words: str, professional_goal: str, target_date
) -> PlanGoal:
    _require_draft(plan)
    if target_date is None:
        raise ValidationError({"target_date": _("Give the goal a date.")})
    if not childs_words.strip():
        raise ValidationError({"childs_words": _("Write the goal in the child's own words.")})
    return save_recorded(
        PlanGoal(
            plan=plan,
            childs_words=childs_words,
            professional_goal=professional_goal,
            target_date=target_date,
        ),
        actor=actor,
    )


@transaction.atomic
def measure_view_add(*, actor, plan: ChildPlan, measure, childs_view: str) -> MeasureView:
    _require_draft(plan)
    if measure.case.child_id != plan.child_id:
        raise ValidationError({"measure": _("Choose one of the child's own measures.")})
    return save_recorded(
        MeasureView(plan=plan, measure=measure, childs_view=childs_view), actor=actor
    )


@transaction.atomic
def plan_save_for_child(
    *, actor, plan: ChildPlan, text: str, accept_hard_text: bool = False
) -> ChildPlan:
    """The plan written for the child, readability-checked for the child's age."""
    _require_draft(plan)
    if not text.strip():
        raise ValidationError({"text": _("Write the plan in words the child understands.")})
    score = require_readable(
        text, plan.child.age(), field="text", accept_hard_text=accept_hard_text
    )
    plan.version_for_child = text.strip()
    plan.version_for_child_lix = score
    return save_recorded(plan, actor=actor)


@transaction.atomic
def plan_adopt(*, actor, plan: ChildPlan, adopted_on) -> ChildPlan:
    """Adopt the plan: it needs goals with dates and a version for the child."""
    _require_draft(plan)
    problems = []
    if not plan.goals.exists():
        problems.append(_("Add at least one goal, in the child's own words."))
    if not plan.version_for_child.strip():
        problems.append(_("Write the plan for the child."))
    if adopted_on > timezone.localdate():
        problems.append(_("A plan cannot be adopted in the future."))
    if problems:
        raise ValidationError(problems)
    plan.adopted_on = adopted_on
    return save_recorded(plan, actor=actor)


@transaction.atomic
def plan_record_child_response(
    *, actor, plan: ChildPlan, agrees: bool, because: str = ""
) -> ChildPlan:
    """The child says "I agree" or "I don't agree because ..." (later from the portal)."""
    if not agrees and not because.strip():
        raise ValidationError({"because": _("Write why the child does not agree.")})
    plan.child_agrees = agrees
    plan.child_disagrees_because = "" if agrees else because.strip()
    return save_recorded(plan, actor=actor)
