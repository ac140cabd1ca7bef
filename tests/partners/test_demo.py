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
