from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from cases.models import ConcernReport, Decision, Measure
from conversations.models import (
    BisidderExclusionExtent,
    BisidderExclusionGround,
    Conversation,
    NotHeldReason,
    Statement,
    Tool,
    ToolRecord,
    Wish,
)
from core import law
from core.forms import StemmeModelForm
from core.uploads import IMAGE_ACCEPT


class PrepareForm(StemmeModelForm):
    class Meta:
        model = Conversation
        fields = [
            "kind",
            "planned_at",
            "place",
            "place_chosen_by_child",
            "participants",
            "second_caseworker",
            "no_second_caseworker_reason",
            "bisidder",
            "decision",
            "concern_report",
            "measure",
            "frame_why",
            "frame_decision",
            "frame_use",
            "frame_who_knows",
        ]
        widgets = {
            "participants": forms.Textarea(attrs={"rows": 3}),
            "frame_why": forms.Textarea(attrs={"rows": 2}),
            "frame_decision": forms.Textarea(attrs={"rows": 2}),
            "frame_use": forms.Textarea(attrs={"rows": 2}),
            "frame_who_knows": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, child, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["second_caseworker"].queryset = (
            User.objects.filter(
                municipality_id=child.municipality_id,
                role__in=[Role.CASEWORKER, Role.TEAM_LEADER],
                is_active=True,
            )
            .exclude(pk=user.pk)
            .order_by("first_name")
        )
        self.fields["bisidder"].queryset = child.network.all()
        self.fields["decision"].queryset = Decision.objects.filter(case__child=child)
        self.fields["concern_report"].queryset = ConcernReport.objects.filter(case__child=child)
        self.fields["measure"].queryset = Measure.objects.filter(case__child=child)
        self.fields["bisidder"].help_text = _(
            "The child may bring a bisidder, who must be at least %(age)d (%(reference)s)."
        ) % {"age": settings.STEMME_BISIDDER_MIN_AGE, "reference": law.BISIDDER_AGE}


class HeldForm(StemmeModelForm):
    class Meta:
        model = Conversation
        fields = ["held_at", "caseworker_observations"]
        widgets = {"caseworker_observations": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_at"].required = True


class NotHeldForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why was it not held?"), choices=NotHeldReason.choices)
    view_obtained_otherwise = forms.CharField(
        label=_("How the child's view was obtained instead"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class BisidderToldForm(forms.Form):
    """Barnets lov § 6, stk. 1."""

    told_on = forms.DateField(
        label=_("The child was told of the right to a bisidder on"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    how = forms.CharField(
        label=_("How the child was told"),
        required=False,
        max_length=300,
        help_text=_("For example in the invitation, by phone, or at the start of the meeting."),
    )


class BisidderExclusionForm(forms.Form):
    """Barnets lov § 6, stk. 2-3."""

    ground = forms.ChoiceField(label=_("Ground"), choices=BisidderExclusionGround.choices)
    extent = forms.ChoiceField(
        label=_("Held without the bisidder"), choices=BisidderExclusionExtent.choices
    )
    part = forms.CharField(
        label=_("Which part of the conversation"),
        required=False,
        max_length=300,
        help_text=_("Only when part of the conversation is held without the bisidder."),
    )
    reason = forms.CharField(
        label=_("The reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    decided_on = forms.DateField(
        label=_("Decided on"), widget=forms.DateInput(attrs={"type": "date"})
    )


TOOL_FIELDS = {
    Tool.THREE_HOUSES: ["good_things", "worries", "dreams"],
    Tool.SCALE: ["scale_question", "scale_value"],
    Tool.NETWORK_MAP: ["important_people"],
    Tool.DRAWING: ["drawing"],
    Tool.OBSERVATION: ["setting", "showed", "did", "said"],
}


def tool_form_class(tool: str) -> type[forms.ModelForm]:
    """A form with exactly the fields of one tool."""

    class ToolForm(StemmeModelForm):
        class Meta:
            model = ToolRecord
            fields = TOOL_FIELDS[tool]
            widgets = {
                name: forms.Textarea(attrs={"rows": 3})
                for name in (
                    "good_things",
                    "worries",
                    "dreams",
                    "important_people",
                    "showed",
                    "did",
                    "said",
                )
                if name in TOOL_FIELDS[tool]
            }

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if "drawing" in self.fields:
                self.fields["drawing"] = forms.FileField(
                    label=_("Photo or scan of the drawing"),
                    widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
                )
            if "scale_value" in self.fields:
                self.fields["scale_value"] = forms.IntegerField(
                    label=_("The child's answer (0-10)"), min_value=0, max_value=10
                )

    return ToolForm


class StatementForm(StemmeModelForm):
    class Meta:
        model = Statement
        fields = ["text", "visibility"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class WishForm(StemmeModelForm):
    class Meta:
        model = Wish
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class SummaryForm(forms.Form):
    summary_to_child = forms.CharField(
        label=_("Summary to the child"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "A few lines written to the child: what you talked about and what happens now."
        ),
    )
    accept_hard_text = forms.BooleanField(
        label=_("Save it even if it may be too hard for the child"), required=False
    )
