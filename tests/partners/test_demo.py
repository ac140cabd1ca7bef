"""The directory's demo: a site per department served, real communes, and idempotent."""

import pytest
from django.core.management import call_command

from maillage.partners import datainclusion
from maillage.partners.models import Organisation, ServiceOffer, Site

pytestmark = pytest.mark.django_db


def test_every_operator_has_a_site_in_each_department_it_serves(demo):
    for operator in Organisation.objects.filter(accepts_referrals=True):
        served = set(operator.departments.values_list("code", flat=True))
        with_site = set(operator.sites.values_list("department_id", flat=True))
        assert served and served <= with_site, operator.slug
    for site in Site.objects.filter(is_demo=True).select_related("commune"):
        assert "démonstration" in site.name
        assert site.commune.department_id == site.department_id and site.has_position
        assert site.phone.startswith("+3319900")  # ARCEP's range for fiction


def test_every_offer_is_delivered_somewhere_and_says_how_to_ask(demo):
    for offer in ServiceOffer.objects.all():
        assert offer.sites.exists() and offer.mobilisation_modes and offer.mobilisable_by


def _stamps():
    return [
        sorted(model.objects.values_list("public_id", "updated_at"))
        for model in (Organisation, Site, ServiceOffer)
    ]


def test_running_the_demo_again_changes_no_date_of_change(demo):
    before, exported = _stamps(), (datainclusion.structures_all(), datainclusion.services_all())
    call_command("demo", "--no-serve", verbosity=0)
    assert _stamps() == before
    assert (datainclusion.structures_all(), datainclusion.services_all()) == exported


def test_each_current_operator_has_its_own_offers_not_the_same_as_the_others(demo):
    from maillage.partners import demo as partners_demo

    titles = {}
    for operator in Organisation.objects.filter(accepts_referrals=True):
        offers = list(operator.service_offers.filter(is_demo=True, is_active=True))
        if operator.is_current_on():
            assert offers, f"{operator.slug} n'a aucune offre"
        for offer in offers:
            titles.setdefault(offer.title, []).append(operator.slug)
    shared = {title: slugs for title, slugs in titles.items() if len(slugs) > 1}
    assert shared == {}
    assert not ServiceOffer.objects.filter(title__in=partners_demo.RETIRED_TITLES).exists()


def test_the_demo_offers_are_described_enough_for_data_inclusion(demo):
    from maillage.partners import demo as partners_demo

    for slug, offers in partners_demo.OFFERS.items():
        for title, description, *_ in offers:
            assert 200 <= len(description) <= 2000, (slug, title, len(description))


def test_an_operator_that_has_ended_keeps_its_offer_closed(demo):
    fongecif = Organisation.objects.get(slug="fongecif-idf")
    assert not fongecif.is_current_on()
    assert fongecif.service_offers.exists()
    assert not fongecif.service_offers.filter(is_active=True).exists()
