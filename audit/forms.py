from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from audit.models import AccessAction
from cases.forms import CprField
from core.forms import DateInput, check_plausible_date


class AuditSearchForm(forms.Form):
    cpr = CprField(label=_("Child's CPR number"), required=False)
    actor = forms.ModelChoiceField(label=_("User"), queryset=User.objects.none(), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=DateInput(), validators=[check_plausible_date]
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=DateInput(), validators=[check_plausible_date]
    )
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All"))] + AccessAction.choices
    )

    def __init__(self, *args, leader, **kwargs):
        super().__init__(*args, **kwargs)
        users = User.objects.filter(municipality_id=leader.municipality_id).exclude(
            role=Role.CONTRIBUTOR
        )
        if leader.role == Role.TEAM_LEADER:
            users = users.filter(team_id=leader.team_id)
        self.fields["actor"].queryset = users.order_by("first_name", "last_name")
