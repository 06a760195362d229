from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import StemmeModelForm
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
