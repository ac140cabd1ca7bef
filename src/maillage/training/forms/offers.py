"""Forms of "qui propose quoi": the grid's filters and an operator's offer."""

from django import forms

from maillage.partners.enums import Mode, Public, Theme


class OffersFilterForm(forms.Form):
    public = forms.ChoiceField(
        label="Public", required=False, choices=[("", "Tous les publics"), *Public.choices]
    )
    theme = forms.ChoiceField(
        label="Service", required=False, choices=[("", "Tous les services"), *Theme.choices]
    )
    mode = forms.ChoiceField(
        label="Modalité", required=False, choices=[("", "Toutes"), *Mode.choices]
    )
    operator = forms.ChoiceField(label="Opérateur", required=False, choices=[])

    def __init__(self, *args, operators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operator"].choices = [("", "Tous les opérateurs"), *operators]


class OfferForm(forms.Form):
    title = forms.CharField(label="Intitulé", max_length=200)
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    publics = forms.MultipleChoiceField(
        label="Publics", choices=Public.choices, widget=forms.CheckboxSelectMultiple
    )
    themes = forms.MultipleChoiceField(
        label="Services", choices=Theme.choices, widget=forms.CheckboxSelectMultiple
    )
    modes = forms.MultipleChoiceField(
        label="Modalités",
        choices=Mode.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    how_to_ask = forms.CharField(
        label="Comment en bénéficier", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
