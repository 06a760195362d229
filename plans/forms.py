from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Decision, Measure, NetworkMember
from core.forms import DateInput, StemmeModelForm, check_plausible_date
from plans.models import AnswerOutcome, ChildPlan, Complaint, PlanGoal


class ChildsViewForm(StemmeModelForm):
    class Meta:
        model = Decision
        fields = [
            "childs_view",
            "how_weighed",
            "differs_from_wish",
            "why_differs",
            "explanation_for_child",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("childs_view", "how_weighed", "why_differs", "explanation_for_child")
        }


class WishAnswerForm(forms.Form):
    outcome = forms.ChoiceField(label=_("What we did"), choices=AnswerOutcome.choices)
    answer_to_child = forms.CharField(
        label=_("The answer to the child"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Written to the child. If you could not do it, say why."),
    )
    decision = forms.ModelChoiceField(
        label=_("The decision that answers it"), queryset=Decision.objects.none(), required=False
    )
    measure = forms.ModelChoiceField(
        label=_("The measure that answers it"), queryset=Measure.objects.none(), required=False
    )
    goal = forms.ModelChoiceField(
        label=_("The plan goal that answers it"), queryset=PlanGoal.objects.none(), required=False
    )

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = Decision.objects.filter(case__child=child)
        self.fields["measure"].queryset = Measure.objects.filter(case__child=child)
        self.fields["goal"].queryset = PlanGoal.objects.filter(plan__child=child)


class ComplaintForm(StemmeModelForm):
    class Meta:
        model = Complaint
        fields = [
            "received_on",
            "complainant",
            "decision",
            "summary",
            "handling",
            "outcome",
            "closed_on",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "handling": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = Decision.objects.filter(case__child=child)


class PlanForm(StemmeModelForm):
    class Meta:
        model = ChildPlan
        fields = ["decision", "next_review_on", "family_support"]
        widgets = {"family_support": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = Decision.objects.filter(case__child=child)


class GoalForm(forms.Form):
    childs_words = forms.CharField(
        label=_("The goal in the child's own words"), widget=forms.Textarea(attrs={"rows": 2})
    )
    professional_goal = forms.CharField(
        label=_("The professional goal"), widget=forms.Textarea(attrs={"rows": 2})
    )
    target_date = forms.DateField(
        label=_("By when"), widget=DateInput(), validators=[check_plausible_date]
    )


class MeasureViewForm(forms.Form):
    measure = forms.ModelChoiceField(label=_("Measure"), queryset=Measure.objects.none())
    childs_view = forms.CharField(
        label=_("The child's view of the measure"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = Measure.objects.filter(case__child=child)


class ForChildForm(forms.Form):
    text = forms.CharField(
        label=_("The plan in words the child understands"), widget=forms.Textarea(attrs={"rows": 6})
    )
    accept_hard_text = forms.BooleanField(
        label=_("Save it even if it may be too hard for the child"), required=False
    )


class AdoptForm(forms.Form):
    adopted_on = forms.DateField(
        label=_("Adopted on"), widget=DateInput(), validators=[check_plausible_date]
    )


class ChildResponseForm(forms.Form):
    agrees = forms.TypedChoiceField(
        label=_("What the child says"),
        choices=[("yes", _("I agree")), ("no", _("I don't agree"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    because = forms.CharField(
        label=_("Because"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionNoticeForm(forms.Form):
    """Who was told of the decision, when and how (retssikkerhedsloven § 67, stk. 1)."""

    custody_holder = forms.ModelChoiceField(
        label=_("Who was told"),
        queryset=NetworkMember.objects.none(),
        required=False,
        empty_label=_("The child"),
    )
    told_on = forms.DateField(
        label=_("Told on"), widget=DateInput(), validators=[check_plausible_date]
    )
    told_how = forms.CharField(
        label=_("How"),
        max_length=300,
        help_text=_("For example: at a visit, by letter, by phone."),
    )

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["custody_holder"].queryset = NetworkMember.objects.filter(
            child=child, holds_custody=True
        )


class DecisionCorrectionForm(StemmeModelForm):
    """A new decision that replaces a final one."""

    reason = forms.CharField(
        label=_("Why the decision is corrected"), widget=forms.Textarea(attrs={"rows": 2})
    )

    class Meta:
        model = Decision
        fields = ["decided_on", "subject", "measure", "without_consent"]

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = Measure.objects.filter(case__child=child)
