from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from cases.models import PLACEMENT_KINDS, ContributorRole, Measure
from core.forms import DateInput, StemmeModelForm, check_plausible_date
from core.uploads import ACCEPT, IMAGE_ACCEPT
from lifebook.models import Entry, Milestone


class EntryForm(StemmeModelForm):
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT, "capture": "environment"}),
        help_text=_("Where and when it was taken is removed before the photo is saved."),
    )
    attachment = forms.FileField(
        label=_("Video, sound or document"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPT.values())}),
        help_text=_(
            "A short video (up to %(video)d MB), a sound recording or a document (PDF, Word, "
            "OpenDocument). Where, on what and by whom it was made is removed before it is saved."
        )
        % {"video": settings.STEMME_MAX_VIDEO_BYTES // 1_000_000},
    )

    class Meta:
        model = Entry
        fields = [
            "title",
            "happened_on",
            "text",
            "people",
            "place",
            "milestone",
            "sealed_until_age",
        ]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, staff=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("happened_on", timezone.localdate())
        if staff:
            self.fields["sealed_until_age"].validators.append(MaxValueValidator(30))
            self.fields["sealed_until_age"].widget.attrs.update(min=1, max=30)
        else:  # only staff seal entries
            del self.fields["sealed_until_age"]


class TimelineFilter(forms.Form):
    """Browse the book by year, place, person or milestone (all optional, from the URL)."""

    # Bounded, so a hand-made URL (?year=-1, ?year=10000) is refused here, not by the database.
    year = forms.IntegerField(
        required=False, min_value=1900, max_value=2100, widget=forms.HiddenInput
    )
    place = forms.ChoiceField(label=_("Place"), required=False)
    person = forms.CharField(label=_("Person"), required=False, max_length=100)
    milestone = forms.ChoiceField(
        label=_("Milestone"),
        required=False,
        choices=[("", _("All"))] + [c for c in Milestone.choices if c[0]],
    )

    def __init__(self, *args, places=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [("", _("All"))] + [(p, p) for p in places]

    def apply(self, entries):
        if not self.is_valid():
            return entries
        data = self.cleaned_data
        if data["year"]:
            entries = entries.filter(happened_on__year=data["year"])
        if data["place"]:
            entries = entries.filter(place=data["place"])
        if data["person"]:
            entries = entries.filter(people__icontains=data["person"])
        if data["milestone"]:
            entries = entries.filter(milestone=data["milestone"])
        return entries


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Write a comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class InviteForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("As"), choices=ContributorRole.choices)
    placement = forms.ModelChoiceField(
        label=_("For the placement"),
        queryset=None,
        required=False,
        help_text=_("When this placement ends, the contributor's access ends with it."),
    )

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["placement"].queryset = current_placements(child)
        self.fields["placement"].label_from_instance = placement_label
        self.fields["placement"].empty_label = _("No particular placement")


class LinkForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Contributor"), queryset=None)
    role = forms.ChoiceField(label=_("As"), choices=ContributorRole.choices)
    placement = forms.ModelChoiceField(
        label=_("For the placement"),
        queryset=None,
        required=False,
        help_text=_("When this placement ends, the contributor's access ends with it."),
    )

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            municipality_id=child.municipality_id, role=Role.CONTRIBUTOR, is_active=True
        ).order_by("first_name", "last_name")
        self.fields["user"].help_text = _(
            "Someone who already contributes in the municipality. A contributor sees only the "
            "life book of the children they are linked to."
        )
        self.fields["placement"].queryset = current_placements(child)
        self.fields["placement"].label_from_instance = placement_label
        self.fields["placement"].empty_label = _("No particular placement")


def placement_label(measure) -> str:
    where = f", {measure.place}" if measure.place else ""
    return f"{measure.get_kind_display()}{where} ({measure.started_on:%d.%m.%Y})"


def current_placements(child):
    return (
        Measure.objects.filter(case__child=child, kind__in=PLACEMENT_KINDS)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=timezone.localdate()))
        .order_by("-started_on")
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
