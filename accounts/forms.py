from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from core.uploads import IMAGE_ACCEPT


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "The username or password is wrong. After several failed attempts the account is "
            "locked for a while."
        ),
        "inactive": _("This account is deactivated. Contact your administrator."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username")
        self.fields["password"].label = _("Password")
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]{6}"}
        ),
        error_messages={
            "min_length": _("The code has six digits."),
            "max_length": _("The code has six digits."),
            "required": _("Type the six-digit code."),
        },
    )


class ProfileForm(forms.Form):
    """What the children a caseworker holds see: how to reach them, and a photo."""

    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    title = forms.CharField(label=_("Job title"), max_length=100, required=False)
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_("A friendly photo of your face. Children see it before they meet you."),
        widget=forms.FileInput(attrs={"accept": IMAGE_ACCEPT}),
    )
    remove_photo = forms.BooleanField(label=_("Remove my photo"), required=False)
