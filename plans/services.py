"""Writes for the child's view in decisions, "you said – we did", and complaints."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Decision
from conversations.readability import lix, lix_limit
from conversations.rules import decision_has_conversation
from core.services import save_recorded
from plans.models import AnswerOutcome, Complaint, ComplaintOutcome, WishAnswer


@transaction.atomic
def decision_record_childs_view(*, actor, decision: Decision, **fields) -> Decision:
    """Save the child's view, how it was weighed, and the explanation for the child (a draft
    can be saved half-written; the finality guard checks it is complete)."""
    if decision.is_final:
        raise ValidationError(_("A final decision cannot be changed here."))
    for name, value in fields.items():
        setattr(decision, name, value)
    text = decision.explanation_for_child
    decision.explanation_lix = lix(text) if text.strip() else None
    if decision.child_told_on and decision.child_told_on > timezone.localdate():
        raise ValidationError({"child_told_on": _("The child cannot be told in the future.")})
    return save_recorded(decision, actor=actor)


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
    return save_recorded(decision, actor=actor, reason="made final")


@transaction.atomic
def wish_answer(
    *, actor, wish, outcome: str, answer_to_child: str, decision=None, measure=None
) -> WishAnswer:
    """You said – we did: answer one of the child's wishes with what was done, or why not."""
    if not (answer_to_child or "").strip():
        raise ValidationError({"answer_to_child": _("Write the answer to the child.")})
    if outcome == AnswerOutcome.NOT_DONE and len(answer_to_child.strip()) < 15:
        raise ValidationError(
            {"answer_to_child": _("Tell the child why we could not do it, in a full sentence.")}
        )
    child_id = wish.child_id
    for linked in (decision, measure):
        if linked is not None and linked.case.child_id != child_id:
            raise ValidationError(_("Choose one of the child's own decisions or measures."))
    return save_recorded(
        WishAnswer(
            wish=wish,
            decision=decision,
            measure=measure,
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
