"""Forms of the directory: filters (public) and an organisation's profile (coordinators)."""

from django import forms

from maillage.core.forms import (
    BoundedIntegerField,
    BoundedModelMultipleChoiceField,
    bounded_formfield,
)
from maillage.partners.enums import MobilisableBy, MobilisationMode, OrganisationKind, Public
from maillage.partners.models import Department, Organisation, ServiceOffer, Site
from maillage.partners.validators import phone_normalise


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label="Nom", required=False, max_length=100)
    public = forms.ChoiceField(
        label="Public", required=False, choices=[("", "Tous les publics"), *Public.choices]
    )
    department = forms.ChoiceField(label="Département", required=False)
    kind = forms.ChoiceField(
        label="Type", required=False, choices=[("", "Tous"), *OrganisationKind.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", "Tous les départements")] + [
            (d.code, str(d)) for d in Department.objects.order_by("code")
        ]


class OrganisationForm(forms.ModelForm):
    # A business year at most: beyond it the delay means nothing (and the date overflows).
    referral_reminder_business_days = BoundedIntegerField(
        label="Relance après (jours ouvrés)", min_value=1, max_value=250, initial=5
    )
    referral_expiry_business_days = BoundedIntegerField(
        label="Expiration après (jours ouvrés)", min_value=1, max_value=250, initial=30
    )
    website = forms.URLField(label="Site web", required=False, assume_scheme="https")
    publics = forms.MultipleChoiceField(
        label="Publics",
        choices=Public.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Organisation
        formfield_callback = bounded_formfield
        fields = [
            "slug",
            "name",
            "kind",
            "public_summary",
            "publics",
            "description",
            "history",
            "website",
            "siret",
            "phone",
            "email",
            "departments",
            "active_from",
            "active_until",
            "is_active",
            "accepts_referrals",
            "referral_reminder_business_days",
            "referral_expiry_business_days",
        ]
        widgets = {
            "departments": forms.CheckboxSelectMultiple,
            "active_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "active_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean_phone(self):
        return phone_normalise(self.cleaned_data.get("phone"))


class OrganisationProfileForm(forms.ModelForm):
    """What an operator's managers keep up to date themselves."""

    website = forms.URLField(label="Site web", required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        formfield_callback = bounded_formfield
        fields = ["public_summary", "description", "website", "siret", "phone", "email"]
        help_texts = {
            "siret": "14 chiffres, celui du siège ou de l'établissement régional.",
            "phone": "Le numéro à appeler quand aucun site n'est proche (ex. 01 23 45 67 89).",
        }

    def clean_phone(self):
        return phone_normalise(self.cleaned_data.get("phone"))


class SiteForm(forms.ModelForm):
    commune_code = forms.CharField(
        label="Commune (code INSEE, code postal ou nom)",
        required=False,
        max_length=100,
        help_text="Donne le code INSEE publié et, si vous ne les donnez pas, les coordonnées.",
    )
    accessibility_url = forms.URLField(
        label="Accessibilité (fiche Acceslibre)",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="Le lien de la fiche du lieu sur acceslibre.beta.gouv.fr.",
    )

    class Meta:
        model = Site
        formfield_callback = bounded_formfield
        fields = [
            "name",
            "siret",
            "address",
            "postcode",
            "city",
            "department",
            "latitude",
            "longitude",
            "phone",
            "email",
            "opening_hours",
            "accessibility_url",
        ]
        help_texts = {
            "opening_hours": (
                "Format OpenStreetMap, par exemple « Mo-Fr 09:00-12:30,14:00-17:30; PH off »."
            ),
            "latitude": "Laissez vide : le centre de la commune est pris.",
        }

    field_order = ["name", "siret", "address", "postcode", "city", "commune_code", "department"]

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.instance.organisation = organisation
        if self.instance.commune_id and not self.is_bound:
            self.initial["commune_code"] = self.instance.commune_id

    def clean_name(self):
        name = self.cleaned_data["name"]
        duplicate = Site.objects.filter(organisation=self.organisation, name=name).exclude(
            pk=self.instance.pk
        )
        if duplicate.exists():
            raise forms.ValidationError("Un autre site de l'organisation porte déjà ce nom.")
        return name

    def clean_phone(self):
        return phone_normalise(self.cleaned_data.get("phone"))

    def clean_commune_code(self):
        from maillage.partners.models import Commune
        from maillage.partners.selectors import commune_find

        value = (self.cleaned_data.get("commune_code") or "").strip()
        if not value:
            return None
        commune = Commune.objects.filter(pk=value.upper()).first()
        if commune is None:
            commune, message = commune_find(value)
            if commune is None:
                raise forms.ValidationError(message)
        return commune

    def clean(self):
        cleaned = super().clean()
        commune = cleaned.get("commune_code")
        department = cleaned.get("department")
        if commune and department and commune.department_id != department.code:
            self.add_error(
                "commune_code",
                f"Cette commune n'est pas dans le département choisi ({department.code}).",
            )
        if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None):
            self.add_error("longitude", "Donnez la latitude et la longitude, ou aucune.")
        return cleaned

    def save(self, commit=True):
        site = super().save(commit=False)
        commune = self.cleaned_data.get("commune_code")
        site.commune = commune
        if commune and site.latitude is None:
            site.latitude, site.longitude = commune.latitude, commune.longitude
        if commune and not site.city:
            site.city = commune.name
        if commit:
            site.save()
        return site


class OfferDistributionForm(forms.ModelForm):
    """Where an offer is delivered and how to ask for it (data·inclusion's terms)."""

    sites = BoundedModelMultipleChoiceField(
        label="Sites où l'offre est rendue",
        queryset=Site.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    mobilisation_modes = forms.MultipleChoiceField(
        label="Comment la demander",
        choices=MobilisationMode.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    mobilisable_by = forms.MultipleChoiceField(
        label="Qui peut la demander",
        choices=MobilisableBy.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    eligibility_departments = forms.MultipleChoiceField(
        label="Zone d'éligibilité (départements)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    mobilisation_url = forms.URLField(
        label="Lien pour la demander (formulaire, prise de rendez-vous)",
        required=False,
        assume_scheme="https",
    )

    class Meta:
        model = ServiceOffer
        fields = [
            "sites",
            "mobilisation_modes",
            "mobilisable_by",
            "mobilisation_url",
            "eligibility_departments",
            "is_free",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sites"].queryset = Site.objects.filter(
            organisation=self.instance.organisation
        ).order_by("department_id", "city", "name")
        self.fields["eligibility_departments"].choices = [
            (d.code, str(d)) for d in Department.objects.order_by("code")
        ]

    def clean_mobilisation_modes(self):
        return sorted(self.cleaned_data.get("mobilisation_modes") or [])

    def clean_mobilisable_by(self):
        return sorted(self.cleaned_data.get("mobilisable_by") or [])

    def clean_eligibility_departments(self):
        return sorted(self.cleaned_data.get("eligibility_departments") or [])

    def clean(self):
        cleaned = super().clean()
        link = MobilisationMode.LINK in (cleaned.get("mobilisation_modes") or [])
        if link and not cleaned.get("mobilisation_url"):
            self.add_error(
                "mobilisation_url", "Donnez le lien, puisque l'offre se demande en ligne."
            )
        return cleaned


class DirectoryImportForm(forms.Form):
    file = forms.FileField(
        label="Fichier data·inclusion (JSON ou CSV)",
        required=False,
        help_text="Structures et/ou services au schéma data·inclusion ; 10 Mo au plus.",
    )

    def __init__(self, *args, token=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.token = token

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError("Le fichier dépasse 10 Mo.")
        return upload

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("file") and not self.token:
            raise forms.ValidationError("Choisissez un fichier à importer.")
        return cleaned
