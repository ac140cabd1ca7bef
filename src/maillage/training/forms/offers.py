"""Forms of "qui propose quoi": the grid's filters and an operator's offer."""

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.partners.enums import Mode, Public, Theme


class OffersFilterForm(forms.Form):
    public = forms.ChoiceField(
        label=_("Public"), required=False, choices=[("", _("Tous les publics")), *Public.choices]
    )
    theme = forms.ChoiceField(
        label=_("Service"), required=False, choices=[("", _("Tous les services")), *Theme.choices]
    )
    mode = forms.ChoiceField(
        label=_("Modalité"), required=False, choices=[("", _("Toutes")), *Mode.choices]
    )
    operator = forms.ChoiceField(label=_("Opérateur"), required=False, choices=[])

    def __init__(self, *args, operators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operator"].choices = [("", _("Tous les opérateurs")), *operators]


class OfferForm(forms.Form):
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    publics = forms.MultipleChoiceField(
        label=_("Publics"), choices=Public.choices, widget=forms.CheckboxSelectMultiple
    )
    themes = forms.MultipleChoiceField(
        label=_("Services"), choices=Theme.choices, widget=forms.CheckboxSelectMultiple
    )
    modes = forms.MultipleChoiceField(
        label=_("Modalités"),
        choices=Mode.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    how_to_ask = forms.CharField(
        label=_("Comment en bénéficier"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
