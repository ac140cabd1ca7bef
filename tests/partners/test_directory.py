"""The public directory and the coordinators' management of organisations."""

from html import unescape

import pytest

from maillage.core.models import AuditEntry
from maillage.partners.models import Organisation
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_the_directory_lists_every_organisation(reference, client):
    html = client.get("/annuaire/").content.decode()
    for organisation in Organisation.objects.all():
        assert f'href="/annuaire/{organisation.slug}/"' in html


def test_the_directory_filters_by_public(reference, client):
    html = client.get("/annuaire/", {"public": "jeunes"}).content.decode()
    assert 'href="/annuaire/arml-idf/"' in html
    assert 'href="/annuaire/afdas/"' not in html


def test_the_directory_filters_by_department(reference, client):
    html = client.get("/annuaire/", {"department": "93"}).content.decode()
    assert 'href="/annuaire/afdas/"' in html
    assert 'href="/annuaire/mon-cep/"' not in html  # national directory: outside the region


def test_an_invalid_filter_is_ignored_not_an_error(reference, client):
    response = client.get("/annuaire/", {"department": "<script>", "public": "nope"})
    assert response.status_code == 200


def test_an_operator_page_shows_its_public_sites_and_offers(reference, client):
    from maillage.partners import demo

    demo.build()
    html = client.get("/annuaire/cheops-idf/").content.decode()
    assert "reconnaissance de handicap" in html
    assert "démonstration" in html  # invented sites say so
    assert "Premier entretien de conseil" in html


def test_an_unknown_operator_is_404(reference, client):
    assert client.get("/annuaire/inconnu/").status_code == 404


def test_a_coordinator_edits_an_organisation_and_it_is_audited(reference, client):
    coordinator = MembershipFactory(coordinator=True)
    client.force_login(coordinator.user)
    organisation = Organisation.objects.get(slug="apec")
    response = client.get(f"/espace/organisations/{organisation.slug}/")
    form = response.context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["departments"] = [d.code for d in organisation.departments.all()]
    data["referral_reminder_business_days"] = 7
    data["active_from"] = data["active_until"] = ""
    response = client.post(f"/espace/organisations/{organisation.slug}/", data)
    assert response.status_code == 302, response.context["form"].errors
    organisation.refresh_from_db()
    assert organisation.referral_reminder_business_days == 7
    entry = AuditEntry.objects.get(action="partners.organisation.updated")
    assert entry.data["referral_reminder_business_days"] == {"avant": "5", "après": "7"}


def test_a_reminder_after_the_expiry_is_refused_with_a_french_message(reference, client):
    coordinator = MembershipFactory(coordinator=True)
    client.force_login(coordinator.user)
    organisation = Organisation.objects.get(slug="apec")
    form = client.get(f"/espace/organisations/{organisation.slug}/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        departments=[],
        active_from="",
        active_until="",
        referral_reminder_business_days=40,
        referral_expiry_business_days=30,
    )
    response = client.post(f"/espace/organisations/{organisation.slug}/", data)
    assert response.status_code == 200
    assert "L'expiration doit venir après la relance." in unescape(response.content.decode())


def test_managers_cannot_manage_organisations(reference, client):
    manager = MembershipFactory(manager=True)
    client.force_login(manager.user)
    assert client.get("/espace/organisations/").status_code == 403
