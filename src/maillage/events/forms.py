"""Forms of the events pages (validation of shape only: the rules live in the services)."""

from django import forms

from maillage.core.forms import (
    BoundedDateField,
    BoundedDateTimeField,
    BoundedDecimalField,
    BoundedIntegerField,
    BoundedModelChoiceField,
    BoundedModelMultipleChoiceField,
)
from maillage.events.enums import Audience, EventKind
from maillage.partners.enums import OrganisationKind
from maillage.partners.models import Department, Organisation

VIEW_CHOICES = [("liste", "Liste"), ("calendrier", "Calendrier")]


def _organisers():
    return Organisation.objects.filter(is_active=True).exclude(kind=OrganisationKind.GATEWAY)


class EventFilterForm(forms.Form):
    date_from = BoundedDateField(
        label="À partir du", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    department = forms.ModelChoiceField(
        label="Département",
        queryset=Department.objects.filter(region_code="11"),
        required=False,
        empty_label="Tous",
        to_field_name="code",
    )
    kind = forms.ChoiceField(
        label="Type", choices=[("", "Tous"), *EventKind.choices], required=False
    )
    organisation = forms.ModelChoiceField(
        label="Opérateur",
        queryset=_organisers(),
        required=False,
        empty_label="Tous",
        to_field_name="slug",
    )
    vue = forms.ChoiceField(label="Affichage", choices=VIEW_CHOICES, required=False)


class RegistrationForm(forms.Form):
    first_name = forms.CharField(label="Prénom", max_length=100)
    last_name = forms.CharField(label="Nom", max_length=100)
    email = forms.EmailField(label="Adresse e-mail", help_text="Pour recevoir la confirmation.")
    phone = forms.CharField(label="Téléphone (facultatif)", max_length=30, required=False)

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        for question in event.questions or []:
            label = question["label"] + ("" if question.get("required") else " (facultatif)")
            self.fields[f"q_{question['key']}"] = forms.CharField(
                label=label,
                required=bool(question.get("required")),
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def answers(self):
        return {
            name[2:]: value for name, value in self.cleaned_data.items() if name.startswith("q_")
        }


class EventForm(forms.Form):
    title = forms.CharField(label="Titre", max_length=200)
    kind = forms.ChoiceField(label="Type", choices=EventKind.choices)
    audience = forms.ChoiceField(label="Public visé", choices=Audience.choices)
    summary = forms.CharField(label="Résumé", max_length=300, required=False)
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea)
    starts_at = BoundedDateTimeField(
        label="Début", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = BoundedDateTimeField(
        label="Fin", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    department = BoundedModelChoiceField(
        label="Département", queryset=Department.objects.all(), required=False
    )
    venue = forms.CharField(label="Lieu", max_length=200, required=False)
    address = forms.CharField(label="Adresse", max_length=300, required=False)
    online_url = forms.URLField(
        assume_scheme="https", label="Lien de connexion (envoyé aux seuls inscrits)", required=False
    )
    capacity = BoundedIntegerField(
        label="Places (vide : sans limite)", required=False, min_value=1, max_value=100_000
    )
    registration_opens_at = BoundedDateTimeField(
        label="Ouverture des inscriptions",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    registration_closes_at = BoundedDateTimeField(
        label="Clôture des inscriptions",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    questions = forms.CharField(
        label="Questions aux inscrits (une par ligne ; finir par * si obligatoire)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    offer_hours = BoundedIntegerField(
        label="Délai pour confirmer une place libérée (heures)",
        min_value=1,
        max_value=720,
        initial=48,
    )
    reminder_days = BoundedIntegerField(
        label="Rappel (jours avant)", min_value=0, max_value=60, initial=2
    )
    co_organisers = BoundedModelMultipleChoiceField(
        label="Co-organisateurs",
        queryset=_organisers(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def questions_list(self):
        result = []
        for line in (self.cleaned_data.get("questions") or "").splitlines():
            line = line.strip()
            if line:
                required = line.endswith("*")
                result.append({"label": line.rstrip("*").strip(), "required": required})
        return result


class ContributionForm(forms.Form):
    counsellors = BoundedIntegerField(
        label="Conseillers mobilisés", min_value=0, max_value=1000, initial=0
    )
    hours = BoundedDecimalField(
        label="Heures", min_value=0, max_value=10_000, max_digits=6, decimal_places=1
    )
    room = forms.CharField(label="Salle", max_length=200, required=False)
    stand = forms.BooleanField(label="Stand", required=False)
    material = forms.CharField(label="Matériel", max_length=300, required=False)
    note = forms.CharField(label="Précisions", max_length=300, required=False)


class QuotaForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Opérateur", queryset=_organisers(), to_field_name="slug"
    )
    seats = BoundedIntegerField(label="Places réservées", min_value=0, max_value=100_000)


class SurveyForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="Votre note",
        coerce=int,
        choices=[(i, str(i)) for i in range(1, 6)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="Un commentaire (facultatif)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
