"""Maillage's directory in data·inclusion's schema (v1): structures and services, as dicts.

A structure is an organisation (its address is that of its first site), a service is a service
offer (its address and contacts are those of the first site where it is delivered). Ids are
`maillage--<uuid>` (stable public ids), `date_maj` the date of the record's last change.
"""

from django.conf import settings
from django.db.models import Prefetch

from maillage.partners import vocabularies
from maillage.partners.models import Organisation, ServiceOffer, Site

SOURCE = "maillage"
LICENCE = "etalab-2.0"
LICENCE_LABEL = "Licence Ouverte / Open Licence version 2.0 (Etalab)"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"


def record_id(public_id):
    return f"{SOURCE}--{public_id}"


def public_id_of(record_id_value):
    prefix = f"{SOURCE}--"
    value = str(record_id_value or "")
    return value[len(prefix) :] if value.startswith(prefix) else None


def _date_maj(updated_at):
    # UTC date: never "in the future" for a validator running on UTC, whatever Paris says.
    return updated_at.date().isoformat()


def _url(path):
    return f"{settings.SITE_URL}{path}"


def _place(site):
    if site is None:
        return {
            "adresse": None,
            "commune": None,
            "code_postal": None,
            "code_insee": None,
            "latitude": None,
            "longitude": None,
            "telephone": None,
            "courriel": None,
            "horaires_accueil": None,
        }
    return {
        "adresse": site.address or None,
        "commune": (site.commune.name if site.commune_id else site.city) or None,
        "code_postal": site.postcode or None,
        "code_insee": site.commune_id or None,
        "latitude": site.latitude,
        "longitude": site.longitude,
        "telephone": site.phone or None,
        "courriel": site.email or None,
        "horaires_accueil": site.opening_hours or None,
    }


def _head_site(organisation):
    sites = list(organisation.sites.all())
    return sites[0] if sites else None


def structure_of(organisation):
    site = _head_site(organisation)
    place = _place(site)
    # The organisation's own contact, else its first site's (the import tells them apart).
    if organisation.phone:
        place["telephone"] = organisation.phone
    if organisation.email:
        place["courriel"] = organisation.email
    description = organisation.description.strip()
    return {
        "source": SOURCE,
        "id": record_id(organisation.public_id),
        "nom": organisation.name.rstrip("."),
        "date_maj": _date_maj(organisation.updated_at),
        "description": description if len(description) >= 5 else None,
        "lien_source": _url(organisation.get_absolute_url()),
        "siret": organisation.siret or None,
        **place,
        "complement_adresse": None,
        "site_web": organisation.website or None,
        "accessibilite_lieu": (site.accessibility_url or None) if site else None,
        "reseaux_porteurs": sorted(organisation.networks) or None,
        # Extension (documented): the directory's own key of the organisation.
        "maillage_slug": organisation.slug,
    }


def service_of(offer):
    sites = list(offer.sites.all())
    site = sites[0] if sites else _head_site(offer.organisation)
    place = _place(site)
    description = offer.description.strip()
    if len(description) < 5:
        description = offer.title
    publics = vocabularies.publics_to_di(offer.publics)
    return {
        "source": SOURCE,
        "structure_id": record_id(offer.organisation.public_id),
        "id": record_id(offer.public_id),
        "nom": offer.title.rstrip("."),
        "description": description,
        "lien_source": _url(f"{offer.organisation.get_absolute_url()}#offre-{offer.public_id}"),
        "date_maj": _date_maj(offer.updated_at),
        "type": None,
        "thematiques": vocabularies.themes_to_di(offer.themes) or None,
        "frais": "gratuit" if offer.is_free else "payant",
        "frais_precisions": None,
        "publics": publics or None,
        "publics_precisions": offer.organisation.public_summary or None,
        "conditions_acces": None,
        **place,
        "complement_adresse": None,
        "modes_accueil": vocabularies.modes_to_di(offer.modes) or None,
        "zone_eligibilite": sorted(offer.eligibility_departments) or None,
        "contact_nom_prenom": None,
        "lien_mobilisation": offer.mobilisation_url or None,
        "modes_mobilisation": sorted(offer.mobilisation_modes) or None,
        "mobilisable_par": sorted(offer.mobilisable_by) or None,
        "mobilisation_precisions": offer.how_to_ask or None,
        "volume_horaire_hebdomadaire": None,
        "nombre_semaines": None,
        # Extensions (documented): Maillage's own codes and the sites of delivery.
        "maillage_publics": list(offer.publics),
        "maillage_thematiques": list(offer.themes),
        "maillage_modes": list(offer.modes),
        "maillage_lieux": [record_id(s.public_id) for s in sites],
    }


def _sites_queryset():
    return Site.objects.select_related("commune", "department", "organisation").order_by(
        "department_id", "city", "name", "pk"
    )


def sites_queryset():
    """Every site of an active organisation, in a stable order (HSDS locations)."""
    return _sites_queryset().filter(organisation__is_active=True).order_by("pk")


def offer_sites_queryset():
    """The (offer, site) links of active offers (HSDS service_at_locations)."""
    return (
        ServiceOffer.sites.through.objects.filter(
            serviceoffer__is_active=True, serviceoffer__organisation__is_active=True
        )
        .select_related("serviceoffer__organisation", "site")
        .order_by("pk")
    )


def organisations_queryset():
    return (
        Organisation.objects.filter(is_active=True)
        .prefetch_related(Prefetch("sites", queryset=_sites_queryset()))
        .order_by("pk")
    )


def offers_queryset():
    return (
        ServiceOffer.objects.filter(is_active=True, organisation__is_active=True)
        .select_related("organisation")
        .prefetch_related(
            Prefetch("sites", queryset=_sites_queryset()),
            Prefetch("organisation__sites", queryset=_sites_queryset()),
        )
        .order_by("pk")
    )


def structures_all():
    return [structure_of(o) for o in organisations_queryset()]


def services_all():
    return [service_of(o) for o in offers_queryset()]
