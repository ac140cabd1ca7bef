"""How complete an operator's record is, in data·inclusion's terms: what is missing, and a gauge.

Each check is a fraction (0, 0.5 or 1): the organisation's identity, each site's address and
contacts, and for each offer the criteria of data·inclusion's own quality score
(`data_inclusion.schema.v1.score_qualite`) computed on the offer as we export it.
"""

from dataclasses import dataclass

from data_inclusion.schema import v1
from data_inclusion.schema.v1 import score_qualite
from django.urls import reverse

from maillage.partners import datainclusion

CRITERIA_FR = {
    "adresse_bien_definie": "une adresse (accueil sur place)",
    "modes_mobilisation_bien_definis": "comment la demander et qui peut la demander",
    "au_moins_un_public": "au moins un public",
    "au_moins_une_thematique": "au moins une thématique",
    "au_moins_un_moyen_de_contact": "un moyen de contact (téléphone, e-mail ou lien)",
    "courriel_bien_defini": "un e-mail (demande par e-mail)",
    "date_maj_recente": "une mise à jour de moins de six mois",
    "frais_bien_definis": "gratuite ou payante",
    "description_bien_definie": "une description de 200 à 2 000 caractères",
    "telephone_bien_defini": "un téléphone (demande par téléphone)",
}


@dataclass
class Check:
    label: str
    value: float
    url: str

    @property
    def ok(self):
        return self.value >= 1


def _site_checks(site):
    url = reverse("partners:site_edit", args=[site.pk])
    name = site.name
    return [
        Check(f"{name} : adresse", float(bool(site.address and site.postcode)), url),
        Check(f"{name} : commune (code INSEE)", float(bool(site.commune_id)), url),
        Check(f"{name} : coordonnées géographiques", float(site.has_position), url),
        Check(f"{name} : horaires au format OpenStreetMap", float(bool(site.opening_hours)), url),
        Check(f"{name} : téléphone", float(bool(site.phone)), url),
        Check(
            f"{name} : lien Acceslibre (accessibilité)", float(bool(site.accessibility_url)), url
        ),
    ]


def _offer_checks(offer):
    url = reverse("partners:offer_distribution", args=[offer.public_id])
    service = v1.Service.model_validate(datainclusion.service_of(offer))
    _score, details = score_qualite.score(service)
    checks = [
        Check(f"« {offer.title} » : {CRITERIA_FR.get(name, name)}", round(value, 2), url)
        for name, value in details.items()
        if value is not None
    ]
    checks.append(
        Check(f"« {offer.title} » : rendue sur au moins un site", float(offer.sites.exists()), url)
    )
    return checks


def organisation_completeness(organisation):
    """{'percent', 'checks', 'missing'} for an organisation's record, sites and active offers."""
    profile_url = reverse("partners:my_organisation")
    checks = [
        Check("SIRET de l'organisation", float(bool(organisation.siret)), profile_url),
        Check(
            "Présentation de l'organisation",
            float(len(organisation.description.strip()) >= 5),
            profile_url,
        ),
        Check(
            "Contact régional (téléphone ou e-mail)",
            float(bool(organisation.phone or organisation.email)),
            profile_url,
        ),
    ]
    sites = list(organisation.sites.select_related("commune"))
    if not sites:
        checks.append(Check("Au moins un site", 0.0, reverse("partners:site_create")))
    for site in sites:
        checks += _site_checks(site)
    offers = datainclusion.offers_queryset().filter(organisation=organisation)
    for offer in offers:
        checks += _offer_checks(offer)
    percent = round(100 * sum(c.value for c in checks) / len(checks))
    return {"percent": percent, "checks": checks, "missing": [c for c in checks if not c.ok]}
