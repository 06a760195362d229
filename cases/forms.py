from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from cases.cpr import parse_cpr
from cases.models import Assessment, ConcernReport, Decision, FollowUp, Measure, NetworkMember
from core.forms import DateInput, StemmeModelForm, check_plausible_date


class CprField(forms.CharField):
    """A CPR number as typed or pasted; cleans to its ten digits by the one rule (`parse_cpr`),
    so the child form, the search and the access-log search refuse and accept alike."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("CPR number"))
        kwargs.setdefault("help_text", _("DDMMYY-SSSS"))
        kwargs.setdefault("max_length", 20)  # room for spaces and dashes between the digits
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return parse_cpr(value).digits if value else value


class ChildCreateForm(forms.Form):
    cpr = CprField()
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    preferred_name = forms.CharField(
        label=_("Preferred name"),
        max_length=100,
        required=False,
        help_text=_("What the child wants to be called."),
    )
    languages = forms.CharField(label=_("Languages"), max_length=200, required=False)
    caseworker = forms.ModelChoiceField(label=_("Fixed caseworker"), queryset=User.objects.none())
    cpr_is_fictitious = forms.BooleanField(
        label=_("The CPR number is fictitious (test or demo)"), required=False
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["caseworker"].queryset = User.objects.filter(
            municipality=municipality, role__in=[Role.CASEWORKER, Role.TEAM_LEADER], is_active=True
        ).order_by("first_name")


class NetworkMemberForm(StemmeModelForm):
    class Meta:
        model = NetworkMember
        fields = [
            "name",
            "relation",
            "relation_detail",
            "holds_custody",
            "phone",
            "email",
            "address",
            "birth_date",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Barnets lov § 6, stk. 4: the age is a setting, so the label reads it.
        self.fields["birth_date"].help_text = _(
            "Needed for a support person (bisidder), who must be at least %(age)d."
        ) % {"age": settings.STEMME_BISIDDER_MIN_AGE}


class ConcernReportForm(StemmeModelForm):
    class Meta:
        model = ConcernReport
        fields = ["received_on", "source", "concerns_abuse", "summary"]


class AssessmentForm(StemmeModelForm):
    class Meta:
        model = Assessment
        fields = ["need_known_on", "completed_on"]


class MeasureForm(StemmeModelForm):
    class Meta:
        model = Measure
        fields = ["kind", "place", "started_on", "planned_end_on", "ended_on", "end_kind"]


class DecisionForm(StemmeModelForm):
    class Meta:
        model = Decision
        fields = ["decided_on", "subject", "measure", "without_consent"]

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = Measure.objects.filter(case__child=child)


class FollowUpForm(StemmeModelForm):
    class Meta:
        model = FollowUp
        fields = ["due_on", "held_on", "note"]


class CaseCloseForm(forms.Form):
    closed_on = forms.DateField(
        label=_("Closed on"), widget=DateInput(), validators=[check_plausible_date]
    )
    closing_note = forms.CharField(label=_("Why the case is closed"), widget=forms.Textarea)


class RemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this removed?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Nothing is deleted: it is kept with your reason and can be found again."),
    )


class FindChildForm(forms.Form):
    cpr = CprField()
