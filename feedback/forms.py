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
        self._offer_recent_meetings(child)
        self.fields["network_member"].queryset = child.network.all()

    def _offer_recent_meetings(self, child, shown=20):
        """Any of this child's meetings is accepted, but the list offers only the latest ones
        (and the one asked about). A sliced queryset cannot be used to validate a choice, so
        the field keeps the whole queryset and only its widget is limited."""
        field = self.fields["conversation"]
        field.queryset = child.conversations.order_by("-planned_at")
        offered = list(field.queryset[:shown])
        chosen = str(self["conversation"].value() or "")
        if chosen.isdigit() and all(str(c.pk) != chosen for c in offered):
            offered += list(field.queryset.filter(pk=chosen))
        field.widget.choices = [("", field.empty_label)] + [
            (field.prepare_value(c), field.label_from_instance(c)) for c in offered
        ]


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
