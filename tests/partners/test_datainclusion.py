"""Exports in data·inclusion's schema, checked by the `data-inclusion-schema` package itself."""

from statistics import mean

import pytest
from data_inclusion.schema import v1
from data_inclusion.schema.v1 import score_qualite

from maillage.partners import datainclusion
from maillage.partners.models import Organisation, ServiceOffer

pytestmark = pytest.mark.django_db

STRICT = {"ignore_warnings": False}


def test_every_demo_structure_validates_with_warnings_enforced(demo):
    structures = datainclusion.structures_all()
    assert len(structures) == Organisation.objects.filter(is_active=True).count() >= 17
    for structure in structures:
        v1.Structure.model_validate(structure, context=STRICT)


def test_every_demo_service_validates_with_warnings_enforced(demo):
    services = datainclusion.services_all()
    assert len(services) == ServiceOffer.objects.filter(is_active=True).count() >= 20
    for service in services:
        v1.Service.model_validate(service, context=STRICT)


def test_the_demo_services_score_at_least_0_9_on_average(demo):
    scores = [
        score_qualite.score(v1.Service.model_validate(s, context=STRICT))[0]
        for s in datainclusion.services_all()
    ]
    assert mean(scores) >= 0.9, scores


def test_a_service_names_its_structure_and_sites_by_stable_ids(demo):
    offer = ServiceOffer.objects.filter(organisation__slug="arml-idf").first()
    service = datainclusion.service_of(offer)
    assert service["id"] == f"maillage--{offer.public_id}"
    assert service["structure_id"] == f"maillage--{offer.organisation.public_id}"
    assert len(service["maillage_lieux"]) == offer.sites.count() == 8
    assert service["code_insee"] and service["latitude"] and service["telephone"].startswith("+33")


def test_publics_without_an_equivalent_keep_maillage_code_beside_the_nearest(demo):
    offer = ServiceOffer.objects.filter(organisation__slug="afdas").first()
    service = datainclusion.service_of(offer)
    assert "actifs" in service["publics"]
    assert "culture" in service["maillage_publics"]


def test_every_maillage_public_and_theme_has_a_data_inclusion_code():
    from maillage.partners import vocabularies
    from maillage.partners.enums import Public, Theme

    known_publics = {p.value for p in v1.Public}
    known_themes = {t.value for t in v1.Thematique}
    for public in Public:
        assert vocabularies.PUBLICS[public] and set(vocabularies.PUBLICS[public]) <= known_publics
    for theme in Theme:
        assert vocabularies.THEMES[theme] and set(vocabularies.THEMES[theme]) <= known_themes
