"""Forms of the referral pages (the services validate again: forms only shape the input)."""

from django import forms
from django.utils.translation import gettext_lazy as _

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
    ("employed_private", _("Salarié·e du secteur privé")),
    ("employed_public", _("Agent·e du secteur public")),
    ("self_employed", _("Travailleur·se indépendant·e")),
    ("job_seeker", _("Demandeur·se d'emploi")),
    ("other", _("Autre situation")),
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
    return [("", _("Aucune offre en particulier")), *groups.items()]


def receivers():
    return Organisation.objects.filter(is_active=True, accepts_referrals=True).order_by("name")


class SendForm(forms.Form):
    to = forms.ModelChoiceField(
        label=_("Opérateur destinataire"),
        queryset=Organisation.objects.none(),
        to_field_name="slug",
        empty_label=None,
    )
    # Routing profile (pre-filled from the routing result page).
    offer = forms.ChoiceField(
        label=_("Offre de service demandée (facultatif)"),
        required=False,
        help_text=_("Une offre de l'opérateur destinataire ; sinon, il choisit."),
    )
    department = forms.ChoiceField(label=_("Département de la personne"))
    status = forms.ChoiceField(label=_("Situation"), choices=STATUS_CHOICES)
    age = BoundedIntegerField(label=_("Âge"), required=False, min_value=14, max_value=99)
    disability = forms.BooleanField(label=_("Handicap reconnu (déclaré)"), required=False)
    cadre = forms.BooleanField(label=_("Cadre"), required=False)
    temp_worker = forms.BooleanField(label=_("Intérimaire"), required=False)
    employer_group = forms.ChoiceField(label=_("Groupe employeur"), required=False)
    idcc = forms.CharField(label=_("IDCC"), required=False, max_length=10)
    # The person.
    first_name = forms.CharField(label=_("Prénom"), max_length=100)
    last_name = forms.CharField(label=_("Nom"), max_length=100)
    birth_date = BoundedDateField(
        label=_("Date de naissance (facultative)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(
        label=_("Téléphone"), required=False, max_length=30, widget=forms.TextInput({"type": "tel"})
    )
    preferred_contact = forms.ChoiceField(
        label=_("Contact préféré"),
        choices=[("", "—"), *PreferredContact.choices],
        required=False,
    )
    need = forms.CharField(
        label=_("Besoin de la personne"), widget=forms.Textarea(attrs={"rows": 4})
    )
    # Consent.
    consent_given = forms.BooleanField(
        label=_("La personne accepte d'être orientée et que ses données soient transmises"),
        required=False,
    )
    consent_method = forms.ChoiceField(
        label=_("Comment a-t-elle donné son accord ?"),
        choices=ConsentMethod.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    consent_operators = forms.ModelMultipleChoiceField(
        label=_("Elle accepte aussi, si besoin, une réorientation vers"),
        queryset=Organisation.objects.none(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # What the person receives (their link), unless the sender records why not.
    do_not_contact = forms.BooleanField(label=_("Ne pas contacter la personne"), required=False)
    no_contact_reason = forms.CharField(
        label=_("Pourquoi ne pas la contacter ? (obligatoire, enregistré)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    duplicate_reason = forms.CharField(
        label=_("Pourquoi orienter malgré l'orientation déjà ouverte ?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    carry_attachments = forms.MultipleChoiceField(
        label=_("Pièces jointes de l'orientation précédente à transmettre"),
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
        departments[0] = ("", _("Choisissez le département"))
        self.fields["department"].choices = departments
        groups = sorted(known_employer_groups().items(), key=lambda pair: str(pair[1]).lower())
        self.fields["employer_group"].choices = [("", _("Autre employeur / ne sait pas")), *groups]
        if new_operator is not None:
            # The consent is asked again, for the operator the person is now sent to.
            self.fields["consent_given"].label = _(
                "La personne accepte d'être orientée vers %(name)s et que ses données lui soient "
                "transmises"
            ) % {"name": new_operator.name}

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
        label=_("Motif du refus"), choices=[(c.value, c.label) for c in ACTIVE_REFUSAL_REASONS]
    )
    message = forms.CharField(
        label=_("Message à l'opérateur qui oriente"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Résultat"), choices=[(c.value, c.label) for c in ACTIVE_OUTCOMES]
    )
    message = forms.CharField(
        label=_("Message à l'opérateur qui oriente"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class StartForm(forms.Form):
    first_appointment_on = BoundedDateField(
        label=_("Date du premier rendez-vous"), widget=forms.DateInput(attrs={"type": "date"})
    )


class InboxFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Nom de la personne ou n° de l'orientation"), required=False, max_length=100
    )
    status = forms.ChoiceField(
        label=_("État"), required=False, choices=[("", _("Tous")), *Status.choices]
    )
    operator = forms.ModelChoiceField(
        label=_("Opérateur"),
        required=False,
        queryset=Organisation.objects.none(),
        to_field_name="slug",
        empty_label=_("Tous"),
    )
    counsellor = forms.TypedChoiceField(
        label=_("Conseiller·e"), required=False, coerce=int, empty_value=None
    )
    since = BoundedDateField(
        label=_("Envoyées depuis le"), required=False, widget=forms.DateInput({"type": "date"})
    )
    until = BoundedDateField(
        label=_("jusqu'au"), required=False, widget=forms.DateInput({"type": "date"})
    )
    sort = forms.ChoiceField(
        label=_("Trier par"),
        required=False,
        choices=[
            ("recent", _("Plus récentes")),
            ("oldest", _("Plus anciennes")),
            ("name", _("Nom")),
            ("status", _("État")),
        ],
    )

    def __init__(self, *args, operators, counsellors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operator"].queryset = operators
        self.fields["counsellor"].choices = [("", _("Tous")), *counsellors]


class WebhookForm(forms.Form):
    """The address of a webhook (the service checks https and refuses internal networks)."""

    url = forms.CharField(label=_("Adresse (URL)"), max_length=500, strip=True)


class WebhookEditForm(WebhookForm):
    rotate_secret = forms.BooleanField(label=_("Renouveler le secret"), required=False)
