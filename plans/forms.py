from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Decision, Measure
from core.forms import StemmeModelForm
from plans.models import AnswerOutcome, Complaint


class ChildsViewForm(StemmeModelForm):
    class Meta:
        model = Decision
        fields = [
            "childs_view",
            "how_weighed",
            "differs_from_wish",
            "why_differs",
            "explanation_for_child",
            "child_told_on",
            "child_told_how",
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

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = Decision.objects.filter(case__child=child)
        self.fields["measure"].queryset = Measure.objects.filter(case__child=child)


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
