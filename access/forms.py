from django import forms
from django.utils.translation import gettext_lazy as _


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need to open this child's case?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=300,
        help_text=_(
            "For example: covering for an ill colleague. The reason is logged, your leader sees "
            "it, and the child can see that the case was opened and why."
        ),
    )


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
