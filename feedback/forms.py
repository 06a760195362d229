from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.models import NetworkMember
from conversations.models import Conversation
from feedback.models import Channel, Instrument


class AskForm(forms.Form):
    instrument = forms.ModelChoiceField(label=_("Questions"), queryset=Instrument.objects.none())
    channel = forms.ChoiceField(label=_("How"), choices=Channel.choices, widget=forms.RadioSelect)
    conversation = forms.ModelChoiceField(
        label=_("After which meeting"), queryset=Conversation.objects.none(), required=False
    )
    network_member = forms.ModelChoiceField(
        label=_("Who in the network answers (parallel version)"),
        queryset=NetworkMember.objects.none(),
        required=False,
    )

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = Instrument.objects.filter(
            Q(municipality__isnull=True) | Q(municipality_id=child.municipality_id)
        ).order_by("key")
        self.fields["conversation"].queryset = child.conversations.order_by("-planned_at")[:20]
        self.fields["network_member"].queryset = child.network.all()


class AcknowledgeAlertForm(forms.Form):
    note = forms.CharField(
        label=_("What did you do, or what will you do?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: talked with the child about how our meetings work."),
    )


class UnlockForm(forms.Form):
    password = forms.CharField(
        label=_("The caseworker's password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
