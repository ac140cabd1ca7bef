"""Forms of training sessions: publication (with per-operator quotas), rating, matrix period."""

from django import forms

from maillage.core.forms import (
    BoundedDateField,
    BoundedDateTimeField,
    BoundedDecimalField,
    BoundedIntegerField,
    BoundedModelMultipleChoiceField,
)
from maillage.partners.enums import OrganisationKind
from maillage.partners.models import Organisation
from maillage.training.enums import ResourceStatus, TrainingTheme
from maillage.training.models import Resource

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime_field(label):
    return BoundedDateTimeField(
        label=label,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )


class SessionForm(forms.Form):
    title = forms.CharField(label="Intitulé", max_length=200)
    theme = forms.ChoiceField(label="Thème", choices=TrainingTheme.choices)
    hosts = BoundedModelMultipleChoiceField(
        label="Opérateurs hôtes",
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Votre organisation est toujours hôte de la session qu'elle publie.",
    )
    starts_at = _datetime_field("Début")
    ends_at = _datetime_field("Fin")
    venue = forms.CharField(label="Lieu", max_length=200, required=False)
    address = forms.CharField(label="Adresse", max_length=300, required=False)
    online_url = forms.URLField(
        label="Lien de connexion (à distance)", required=False, assume_scheme="https"
    )
    capacity = BoundedIntegerField(label="Nombre de places", min_value=1, max_value=10000)
    hours = BoundedDecimalField(
        label="Heures de formation attestées",
        required=False,
        min_value=0.5,
        max_value=200,
        decimal_places=1,
        help_text="Par défaut : la durée de la session (7 h par jour au plus).",
    )
    summary = forms.CharField(label="En une phrase", max_length=300, required=False)
    description = forms.CharField(
        label="Programme", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    objectives = forms.CharField(
        label="Objectifs", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    speakers = forms.CharField(
        label="Intervenants (un par ligne)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    resources = BoundedModelMultipleChoiceField(
        label="Ressources de la bibliothèque",
        queryset=Resource.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        operators = Organisation.objects.filter(
            is_active=True, kind=OrganisationKind.OPERATOR
        ).order_by("name")
        self.fields["hosts"].queryset = Organisation.objects.filter(is_active=True).exclude(
            kind=OrganisationKind.GATEWAY
        )
        self.fields["resources"].queryset = Resource.objects.filter(
            status=ResourceStatus.PUBLISHED
        ).order_by("title")
        self.quota_fields = []
        for operator in operators:
            name = f"quota_{operator.slug}"
            self.fields[name] = BoundedIntegerField(
                label=operator.name, required=False, min_value=0, max_value=10000
            )
            self.quota_fields.append((name, operator))

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "La fin doit suivre le début.")
        if not (data.get("venue") or data.get("address") or data.get("online_url")):
            self.add_error("venue", "Indiquez un lieu ou un lien de connexion.")
        reserved = sum(data.get(name) or 0 for name, _operator in self.quota_fields)
        if data.get("capacity") and reserved > data["capacity"]:
            raise forms.ValidationError(
                f"Les places réservées ({reserved}) dépassent le nombre de places "
                f"({data['capacity']})."
            )
        return data

    def quotas(self):
        return {
            operator: self.cleaned_data.get(name)
            for name, operator in self.quota_fields
            if self.cleaned_data.get(name)
        }

    def quota_bound_fields(self):
        return [self[name] for name, _operator in self.quota_fields]

    def main_fields(self):
        return [f for f in self if not f.name.startswith("quota_")]


class SessionEditForm(SessionForm):
    """Editing a session, even published: hosts and quotas stay as published."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["hosts"]
        for name, _operator in self.quota_fields:
            del self.fields[name]
        self.quota_fields = []


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="Votre note",
        coerce=int,
        choices=[(i, f"{i} / 5") for i in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="Un commentaire ?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PeriodForm(forms.Form):
    date_from = BoundedDateField(
        label="Du", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = BoundedDateField(
        label="Au", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            raise forms.ValidationError("La fin de la période précède son début.")
        return data
