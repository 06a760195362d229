from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from cases.models import ContributorRole
from core.forms import DateInput, StemmeModelForm, check_plausible_date
from lifebook.models import Entry


class EntryForm(StemmeModelForm):
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
        help_text=_("Where and when it was taken is removed before the photo is saved."),
    )

    class Meta:
        model = Entry
        fields = ["title", "happened_on", "text", "people", "place", "milestone"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("happened_on", timezone.localdate())


class LinkForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Contributor"), queryset=None)
    role = forms.ChoiceField(label=_("As"), choices=ContributorRole.choices)

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            municipality_id=child.municipality_id, role=Role.CONTRIBUTOR, is_active=True
        ).order_by("first_name", "last_name")
        self.fields["user"].help_text = _(
            "The administrator creates contributor accounts. A contributor sees only the life "
            "book of the children they are linked to."
        )


class BookForm(forms.Form):
    date_from = forms.DateField(
        label=_("From (empty: from the start)"),
        required=False,
        widget=DateInput(),
        validators=[check_plausible_date],
    )
    date_to = forms.DateField(
        label=_("To (empty: until today)"),
        required=False,
        widget=DateInput(),
        validators=[check_plausible_date],
    )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data
