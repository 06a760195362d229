from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, check_plausible_date
from survey.models import AgeGroup, Living
from survey.services import MAX_LINKS


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    opens_on = forms.DateField(
        label=_("Opens"), widget=DateInput(), validators=[check_plausible_date]
    )
    closes_on = forms.DateField(
        label=_("Closes"), widget=DateInput(), validators=[check_plausible_date]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opens_on"].initial = timezone.localdate()


class LinksForm(forms.Form):
    count = forms.IntegerField(
        label=_("How many links"), min_value=1, max_value=MAX_LINKS, initial=20
    )


class StartForm(forms.Form):
    age_group = forms.ChoiceField(
        label=_("How old are you?"), choices=AgeGroup.choices, widget=forms.RadioSelect
    )
    living = forms.ChoiceField(
        label=_("Where do you live?"), choices=Living.choices, widget=forms.RadioSelect
    )
