"""Forms of reflection on practice."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from core.forms import StemmeModelForm
from core.uploads import ACCEPT, MediaKind
from reflection.models import PracticeVideo, Reflection, TeamSession, TrainingDay


def _consultants(municipality_id):
    return User.objects.filter(
        role=Role.CONSULTANT, municipality_id=municipality_id, is_active=True
    ).order_by("first_name")


class ReflectionForm(StemmeModelForm):
    class Meta:
        model = Reflection
        fields = [
            "went_well",
            "childs_perspective",
            "differently",
            "next_time",
            "shared_with_leader",
            "shared_with",
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields[:4]}

    def __init__(self, *args, municipality_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shared_with"].queryset = _consultants(municipality_id)
        self.fields["shared_with"].required = False


class VideoForm(StemmeModelForm):
    upload = forms.FileField(
        label=_("The video (MP4, MOV, WebM or MKV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT[MediaKind.VIDEO]}),
    )

    class Meta:
        model = PracticeVideo
        fields = [
            "title",
            "kind",
            "consultant",
            "child_consent_on",
            "custody_consent_on",
            "consent_note",
        ]
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args, municipality_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultant"].queryset = _consultants(municipality_id)


MOMENT = re.compile(r"^\s*(?:(\d{1,3}):)?(\d{1,5})\s*$")


class CommentForm(forms.Form):
    moment = forms.CharField(
        label=_("Moment in the video (m:ss)"),
        max_length=10,
        initial="0:00",
        widget=forms.TextInput(attrs={"data-video-moment": "", "inputmode": "numeric"}),
    )
    text = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 3}))

    def clean_moment(self):
        match = MOMENT.match(self.cleaned_data["moment"])
        if match is None:
            raise forms.ValidationError(_("Write the moment as minutes:seconds, for example 1:05."))
        minutes, seconds = int(match.group(1) or 0), int(match.group(2))
        return minutes * 60 + seconds


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it taken down?"),
        initial=_("The consent was withdrawn."),
        max_length=300,
    )


class TrainingDayForm(StemmeModelForm):
    class Meta:
        model = TrainingDay
        fields = ["held_on", "theme", "title"]


def _team(team_id):
    return User.objects.filter(
        team_id=team_id, role__in=(Role.CASEWORKER, Role.TEAM_LEADER), is_active=True
    ).order_by("first_name")


class SessionScheduleForm(StemmeModelForm):
    class Meta:
        model = TeamSession
        fields = ["scheduled_at", "presenter", "presentation"]
        widgets = {"presentation": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, team_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = _team(team_id)


class SessionRecordForm(StemmeModelForm):
    class Meta:
        model = TeamSession
        fields = [
            "presentation",
            "questions",
            "reflections",
            "next_steps",
            "decided",
            "participants",
            "follow_up_on",
        ]
        widgets = {
            **{
                name: forms.Textarea(attrs={"rows": 4})
                for name in ("presentation", "questions", "reflections", "next_steps", "decided")
            },
            "participants": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, team_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = _team(team_id)


class FollowUpForm(forms.Form):
    follow_up_note = forms.CharField(
        label=_("How the next steps went"), widget=forms.Textarea(attrs={"rows": 3})
    )
