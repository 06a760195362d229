from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from continuity.models import Handover
from core.forms import StemmeModelForm
from core.services import HISTORY_REASON_LENGTH


class HandoverStartForm(StemmeModelForm):
    class Meta:
        model = Handover
        fields = [
            "to_caseworker",
            "overlap_until",
            "note",
            "joint_meeting_at",
            "joint_meeting_place",
        ]

    def __init__(self, *args, child, current_caseworker, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_caseworker"].queryset = (
            User.objects.filter(
                municipality_id=child.municipality_id,
                role__in=[Role.CASEWORKER, Role.TEAM_LEADER],
                is_active=True,
            )
            .exclude(pk=getattr(current_caseworker, "pk", None))
            .order_by("first_name")
        )
        self.fields["to_caseworker"].label = _("New fixed caseworker")
        if not self.is_bound:
            self.initial.setdefault(
                "overlap_until", timezone.localdate() + timezone.timedelta(days=14)
            )


class HandoverUpdateForm(StemmeModelForm):
    class Meta:
        model = Handover
        fields = [
            "note",
            "joint_meeting_at",
            "joint_meeting_place",
            "child_informed_on",
            "child_informed_how",
        ]


class HandoverCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the handover cancelled?"),
        max_length=HISTORY_REASON_LENGTH,  # kept as the reason for the change in the history
        error_messages={"required": _("Give a reason for cancelling the handover.")},
        widget=forms.Textarea(attrs={"rows": 3}),
    )
