from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your code"),
        max_length=20,
        help_text=_("The code from your caseworker, for example ABCD-EFGH-JKMN."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "characters"}),
    )


class PinForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput, max_length=20)
    pin = forms.CharField(
        label=_("Your PIN"),
        max_length=6,
        widget=forms.PasswordInput(
            attrs={"inputmode": "numeric", "autocomplete": "current-password"}
        ),
    )


class NewPinForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput, max_length=20)
    new_pin = forms.CharField(
        label=_("Choose a PIN (4 to 6 digits)"),
        max_length=6,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "new-password"}),
        help_text=_("Choose digits only you know. Not your birthday."),
    )
    new_pin_again = forms.CharField(
        label=_("Write the PIN again"),
        max_length=6,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "new-password"}),
    )


class TalkForm(forms.Form):
    message = forms.CharField(
        label=_("Do you want to write something? (You don't have to)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PrepareForm(forms.Form):
    topics = forms.CharField(
        label=_("What do you want to talk about?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    bring = forms.CharField(
        label=_("Who do you want with you?"),
        required=False,
        max_length=200,
        help_text=_("An adult you trust. It can be a teacher, a coach or someone in your family."),
    )


class ResponseForm(forms.Form):
    agrees = forms.TypedChoiceField(
        label=_("What do you think?"),
        choices=[("yes", _("I agree")), ("no", _("I don't agree"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one of the two.")},
    )
    because = forms.CharField(
        label=_("I don't agree because …"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ComplaintForm(forms.Form):
    decision = forms.TypedChoiceField(label=_("Which decision?"), coerce=int)
    text = forms.CharField(
        label=_("What do you want to complain about?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write what you want to complain about.")},
    )

    def __init__(self, *args, decisions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [
            (d.pk, f"{d.decided_on:%d.%m.%Y}: {d.explanation_for_child[:60]}") for d in decisions
        ]
