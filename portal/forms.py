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
