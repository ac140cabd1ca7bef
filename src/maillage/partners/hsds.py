"""Maillage's directory in Open Referral's HSDS 3 (organizations, services, locations, links).

The models hold what HSDS 3 requires of each object and the types of the fields we publish,
written from the specification's documentation (schema reference, API reference); they check
our output and describe the API. Ids are UUIDs: the public ids of organisations, sites and
offers; nested objects (phones, addresses, schedules…) get a UUID derived from their parent's.
"""

import re
import uuid
from datetime import datetime
from typing import Literal

from django.conf import settings
from pydantic import BaseModel, ConfigDict, Field

from maillage.partners import datainclusion
from maillage.partners.enums import Public, Theme

HSDS_VERSION = "3.0"
WEEKDAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]


class HsdsModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Phone(HsdsModel):
    id: uuid.UUID
    number: str = Field(min_length=1)
    type: str | None = None
    description: str | None = None


class Address(HsdsModel):
    id: uuid.UUID
    location_id: uuid.UUID | None = None
    address_1: str = Field(min_length=1)
    city: str = Field(min_length=1)
    region: str | None = None
    state_province: str = Field(min_length=1)
    postal_code: str = Field(min_length=1)
    country: str = Field(pattern=r"^[A-Z]{2}$")
    address_type: Literal["physical", "postal", "virtual"]


class Schedule(HsdsModel):
    id: uuid.UUID
    freq: Literal["WEEKLY", "MONTHLY"] | None = None
    byday: str | None = None
    opens_at: str | None = None
    closes_at: str | None = None
    timezone: float | None = None
    description: str | None = None


class Accessibility(HsdsModel):
    id: uuid.UUID
    location_id: uuid.UUID | None = None
    description: str | None = None
    url: str | None = None


class Url(HsdsModel):
    id: uuid.UUID
    label: str | None = None
    url: str = Field(min_length=1)


class ServiceArea(HsdsModel):
    id: uuid.UUID
    service_id: uuid.UUID | None = None
    name: str | None = None
    description: str | None = None
    uri: str | None = None


class Organization(HsdsModel):
    id: uuid.UUID
    name: str = Field(min_length=1)
    description: str = Field(min_length=1)
    email: str | None = None
    website: str | None = None
    uri: str | None = None
    phones: list[Phone] = []
    additional_websites: list[Url] = []


class Location(HsdsModel):
    id: uuid.UUID
    location_type: Literal["physical", "postal", "virtual"]
    organization_id: uuid.UUID | None = None
    name: str | None = None
    description: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    external_identifier: str | None = None
    external_identifier_type: str | None = None
    addresses: list[Address] = []
    phones: list[Phone] = []
    schedules: list[Schedule] = []
    accessibility: list[Accessibility] = []


class Service(HsdsModel):
    id: uuid.UUID
    organization_id: uuid.UUID
    name: str = Field(min_length=1)
    description: str | None = None
    url: str | None = None
    email: str | None = None
    status: Literal["active", "inactive", "defunct", "temporarily closed"]
    application_process: str | None = None
    fees_description: str | None = None
    eligibility_description: str | None = None
    last_modified: datetime | None = None
    phones: list[Phone] = []
    service_areas: list[ServiceArea] = []


class ServiceAtLocation(HsdsModel):
    id: uuid.UUID
    service_id: uuid.UUID
    location_id: uuid.UUID
    description: str | None = None


def _child(parent, kind, index=0):
    return uuid.uuid5(parent, f"{kind}-{index}")


def _phones(parent, number, owner):
    if not number:
        return []
    return [{"id": _child(parent, "phone"), "number": number, "type": "voice", **owner}]


def schedules_from_osm(parent, value):
    """Weekly schedules of the simple OSM forms (`Mo-Fr 09:00-12:30,14:00-17:30`), else text."""
    if not value:
        return []
    schedules = []
    for rule in [r.strip() for r in value.split(";") if r.strip()]:
        match = re.fullmatch(r"([A-Z][a-z](?:[-,][A-Z][a-z])*) ((?:\d\d:\d\d-\d\d:\d\d,?)+)", rule)
        if not match:
            continue
        days = []
        for part in match.group(1).split(","):
            if "-" in part:
                first, last = part.split("-")
                days += WEEKDAYS[WEEKDAYS.index(first) : WEEKDAYS.index(last) + 1]
            else:
                days.append(part)
        for span in match.group(2).strip(",").split(","):
            opens, closes = span.split("-")
            schedules.append(
                {
                    "id": _child(parent, "schedule", len(schedules)),
                    "freq": "WEEKLY",
                    "byday": ",".join(d.upper() for d in days),
                    "opens_at": opens,
                    "closes_at": closes,
                    "description": f"Horaires (OpenStreetMap) : {value}",
                }
            )
    if not schedules:
        schedules = [{"id": _child(parent, "schedule"), "description": value}]
    return schedules


def organization_of(organisation):
    description = (
        organisation.description.strip() or organisation.public_summary or organisation.name
    )
    return {
        "id": organisation.public_id,
        "name": organisation.name,
        "description": description,
        "email": organisation.email or None,
        "website": organisation.website or None,
        "uri": f"{settings.SITE_URL}{organisation.get_absolute_url()}",
        "phones": _phones(organisation.public_id, organisation.phone, {}),
        "additional_websites": [],
    }


def location_of(site):
    address = []
    if site.address and (site.city or site.commune_id) and site.postcode:
        address = [
            {
                "id": _child(site.public_id, "address"),
                "location_id": site.public_id,
                "address_1": site.address,
                "city": site.commune.name if site.commune_id else site.city,
                "region": "Île-de-France" if site.department.region_code == "11" else None,
                "state_province": site.department.name,
                "postal_code": site.postcode,
                "country": "FR",
                "address_type": "physical",
            }
        ]
    accessibility = []
    if site.accessibility_url:
        accessibility = [
            {
                "id": _child(site.public_id, "accessibility"),
                "location_id": site.public_id,
                "description": "Fiche d'accessibilité sur Acceslibre",
                "url": site.accessibility_url,
            }
        ]
    return {
        "id": site.public_id,
        "location_type": "physical",
        "organization_id": site.organisation.public_id,
        "name": site.name,
        "description": "Donnée de démonstration (fictive)." if site.is_demo else None,
        "latitude": site.latitude,
        "longitude": site.longitude,
        "external_identifier": site.commune_id or None,
        "external_identifier_type": "code_insee" if site.commune_id else None,
        "addresses": address,
        "phones": _phones(site.public_id, site.phone, {}),
        "schedules": schedules_from_osm(site.public_id, site.opening_hours),
        "accessibility": accessibility,
    }


def service_of(offer):
    publics = dict(Public.choices)
    themes = dict(Theme.choices)
    eligibility = ", ".join(str(publics.get(p, p)) for p in offer.publics)
    areas = [
        {
            "id": _child(offer.public_id, "area", index),
            "service_id": offer.public_id,
            "name": f"Département {code}",
            "uri": f"https://www.insee.fr/fr/metadonnees/cog/departement/DEP{code}",
        }
        for index, code in enumerate(sorted(offer.eligibility_departments))
    ]
    return {
        "id": offer.public_id,
        "organization_id": offer.organisation.public_id,
        "name": offer.title,
        "description": offer.description or None,
        "url": offer.mobilisation_url or None,
        "email": offer.organisation.email or None,
        "status": "active" if offer.is_active else "inactive",
        "application_process": offer.how_to_ask or None,
        "fees_description": "Gratuit" if offer.is_free else "Payant",
        "eligibility_description": (
            f"{eligibility}. Thèmes : {', '.join(str(themes.get(t, t)) for t in offer.themes)}."
            if eligibility
            else None
        ),
        "last_modified": offer.updated_at,
        "phones": _phones(offer.public_id, offer.organisation.phone, {}),
        "service_areas": areas,
    }


def service_at_location_of(offer, site):
    return {
        "id": uuid.uuid5(offer.public_id, f"at-{site.public_id}"),
        "service_id": offer.public_id,
        "location_id": site.public_id,
        "description": f"{offer.title} — {site.name}",
    }


def organizations_all():
    return [organization_of(o) for o in datainclusion.organisations_queryset()]


def services_all():
    return [service_of(o) for o in datainclusion.offers_queryset()]


def locations_all():
    return [location_of(site) for site in datainclusion.sites_queryset()]


def service_at_locations_all():
    return [
        service_at_location_of(link.serviceoffer, link.site)
        for link in datainclusion.offer_sites_queryset()
    ]


def page(queryset, build, *, page_number, size):
    """An HSDS 3 list page of `queryset` (each row through `build`): the header, `contents`."""
    total = queryset.count()
    pages = max(1, -(-total // size))
    start = (page_number - 1) * size
    contents = [build(row) for row in queryset[start : start + size]]
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": page_number,
        "size": size,
        "first_page": page_number == 1,
        "last_page": page_number >= pages,
        "empty": not contents,
        "contents": contents,
    }
