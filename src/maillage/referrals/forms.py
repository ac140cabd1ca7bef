"""Forms of the referral pages (the services validate again: forms only shape the input)."""

from django import forms

from maillage.core.forms import BoundedDateField, BoundedIntegerField
from maillage.partners.models import Organisation, ServiceOffer
from maillage.referrals.enums import (
    ACTIVE_OUTCOMES,
    ACTIVE_REFUSAL_REASONS,
    ConsentMethod,
    PreferredContact,
    Status,
)
from maillage.routing.engine import known_employer_groups
from maillage.routing.forms import department_choices
from maillage.routing.profile import FIELDS as PROFILE_FIELDS

STATUSES = {"employed_private", "employed_public", "self_employed", "job_seeker", "other"}
STATUS_CHOICES = [
    ("employed_private", "Salarié·e du secteur privé"),
    ("employed_public", "Agent·e du secteur public"),
    ("self_employed", "Travailleur·se indépendant·e"),
    ("job_seeker", "Demandeur·se d'emploi"),
    ("other", "Autre situation"),
]


BOOLEAN_FIELDS = ("disability", "cadre", "temp_worker")


def profile_from_query(params):
    """Routing profile fields from GET parameters, to pre-fill the form (validated on send)."""
    data = {}
    for field in PROFILE_FIELDS:
        value = params.get(field)
        if value in (None, ""):
            continue
        if field in BOOLEAN_FIELDS:
            data[field] = value in ("1", "true", "on", "oui", "True")
        elif field == "age":
            if str(value).isdigit():
                data[field] = int(value)
        else:
            data[field] = value
    return data


def offer_choices(queryset):
    """The receivers' active offers, grouped by operator (the service checks the pair)."""
    groups = {}
    offers = ServiceOffer.objects.filter(is_active=True, organisation__in=queryset)
    for offer in offers.select_related("organisation").order_by("organisation__name", "title"):
        groups.setdefault(offer.organisation.name, []).append((str(offer.pk), offer.title))
    return [("", "Aucune offre en particulier"), *groups.items()]


def receivers():
    return Organisation.objects.filter(is_active=True, accepts_referrals=True).order_by("name")


class SendForm(forms.Form):
    to = forms.ModelChoiceField(
        label="Opérateur destinataire",
        queryset=Organisation.objects.none(),
        to_field_name="slug",
        empty_label=None,
    )
    # Routing profile (pre-filled from the routing result page).
    offer = forms.ChoiceField(
        label="Offre de service demandée (facultatif)",
        required=False,
        help_text="Une offre de l'opérateur destinataire ; sinon, il choisit.",
    )
    department = forms.ChoiceField(label="Département de la personne")
    status = forms.ChoiceField(label="Situation", choices=STATUS_CHOICES)
    age = BoundedIntegerField(label="Âge", required=False, min_value=14, max_value=99)
    disability = forms.BooleanField(label="Handicap reconnu (déclaré)", required=False)
    cadre = forms.BooleanField(label="Cadre", required=False)
    temp_worker = forms.BooleanField(label="Intérimaire", required=False)
    employer_group = forms.ChoiceField(label="Groupe employeur", required=False)
    idcc = forms.CharField(label="IDCC", required=False, max_length=10)
    # The person.
    first_name = forms.CharField(label="Prénom", max_length=100)
    last_name = forms.CharField(label="Nom", max_length=100)
    birth_date = BoundedDateField(
        label="Date de naissance (facultative)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    email = forms.EmailField(label="E-mail", required=False)
    phone = forms.CharField(
        label="Téléphone", required=False, max_length=30, widget=forms.TextInput({"type": "tel"})
    )
    preferred_contact = forms.ChoiceField(
        label="Contact préféré",
        choices=[("", "—"), *PreferredContact.choices],
        required=False,
    )
    need = forms.CharField(label="Besoin de la personne", widget=forms.Textarea(attrs={"rows": 4}))
    # Consent.
    consent_given = forms.BooleanField(
        label="La personne accepte d'être orientée et que ses données soient transmises",
        required=False,
    )
    consent_method = forms.ChoiceField(
        label="Comment a-t-elle donné son accord ?",
        choices=ConsentMethod.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    consent_operators = forms.ModelMultipleChoiceField(
        label="Elle accepte aussi, si besoin, une réorientation vers",
        queryset=Organisation.objects.none(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # What the person receives (their link), unless the sender records why not.
    do_not_contact = forms.BooleanField(label="Ne pas contacter la personne", required=False)
    no_contact_reason = forms.CharField(
        label="Pourquoi ne pas la contacter ? (obligatoire, enregistré)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    duplicate_reason = forms.CharField(
        label="Pourquoi orienter malgré l'orientation déjà ouverte ?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    carry_attachments = forms.MultipleChoiceField(
        label="Pièces jointes de l'orientation précédente à transmettre",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, sender, previous=None, new_operator=None, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = receivers().exclude(pk=sender.pk)
        if previous is not None:
            queryset = queryset.exclude(pk=previous.receiver_organisation_id)
            self.fields["carry_attachments"].choices = [
                (str(a.pk), a.name) for a in previous.attachments.all()
            ]
        self.fields["to"].queryset = queryset
        self.fields["consent_operators"].queryset = queryset
        self.fields["offer"].choices = offer_choices(queryset)
        departments = department_choices()
        departments[0] = ("", "Choisissez le département")
        self.fields["department"].choices = departments
        groups = sorted(known_employer_groups().items(), key=lambda pair: str(pair[1]).lower())
        self.fields["employer_group"].choices = [("", "Autre employeur / ne sait pas"), *groups]
        if new_operator is not None:
            # The consent is asked again, for the operator the person is now sent to.
            self.fields["consent_given"].label = (
                f"La personne accepte d'être orientée vers {new_operator.name} et que ses "
                "données lui soient transmises"
            )

    def profile(self):
        data = self.cleaned_data
        profile = {"department": data["department"], "status": data["status"]}
        for field in ("age", "employer_group", "idcc"):
            if data.get(field) not in (None, ""):
                profile[field] = data[field]
        for field in ("disability", "cadre", "temp_worker"):
            profile[field] = bool(data.get(field))
        return profile


class RefuseForm(forms.Form):
    reason = forms.ChoiceField(
        label="Motif du refus", choices=[(c.value, c.label) for c in ACTIVE_REFUSAL_REASONS]
    )
    message = forms.CharField(
        label="Message à l'opérateur qui oriente",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Résultat", choices=[(c.value, c.label) for c in ACTIVE_OUTCOMES]
    )
    message = forms.CharField(
        label="Message à l'opérateur qui oriente",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class StartForm(forms.Form):
    first_appointment_on = BoundedDateField(
        label="Date du premier rendez-vous", widget=forms.DateInput(attrs={"type": "date"})
    )


class InboxFilterForm(forms.Form):
    q = forms.CharField(
        label="Nom de la personne ou n° de l'orientation", required=False, max_length=100
    )
    status = forms.ChoiceField(
        label="État", required=False, choices=[("", "Tous"), *Status.choices]
    )
    operator = forms.ModelChoiceField(
        label="Opérateur",
        required=False,
        queryset=Organisation.objects.none(),
        to_field_name="slug",
        empty_label="Tous",
    )
    counsellor = forms.TypedChoiceField(
        label="Conseiller·e", required=False, coerce=int, empty_value=None
    )
    since = BoundedDateField(
        label="Envoyées depuis le", required=False, widget=forms.DateInput({"type": "date"})
    )
    until = BoundedDateField(
        label="jusqu'au", required=False, widget=forms.DateInput({"type": "date"})
    )
    sort = forms.ChoiceField(
        label="Trier par",
        required=False,
        choices=[
            ("recent", "Plus récentes"),
            ("oldest", "Plus anciennes"),
            ("name", "Nom"),
            ("status", "État"),
        ],
    )

    def __init__(self, *args, operators, counsellors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operator"].queryset = operators
        self.fields["counsellor"].choices = [("", "Tous"), *counsellors]


class WebhookForm(forms.Form):
    """The address of a webhook (the service checks https and refuses internal networks)."""

    url = forms.CharField(label="Adresse (URL)", max_length=500, strip=True)


class WebhookEditForm(WebhookForm):
    rotate_secret = forms.BooleanField(label="Renouveler le secret", required=False)
