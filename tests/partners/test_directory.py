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


def _site_data(**overrides):
    data = {
        "name": "Accueil Saint-Denis",
        "address": "1 place de la Gare",
        "postcode": "93200",
        "city": "Saint-Denis",
        "department": "93",
        "phone": "01 02 03 04 05",
        "email": "accueil@exemple.fr",
        "opening_hours": "Mo-Fr 09:00-12:00",  # OpenStreetMap format, as published
    }
    data.update(overrides)
    return data


def test_a_manager_updates_their_profile_and_adds_a_site(reference, client):
    manager = MembershipFactory(manager=True, organisation=Organisation.objects.get(slug="apec"))
    client.force_login(manager.user)
    response = client.post(
        "/espace/mon-organisation/",
        {"public_summary": "Cadres et jeunes diplômés", "description": "", "website": ""},
    )
    assert response.status_code == 302
    assert client.post("/espace/mon-organisation/sites/nouveau/", _site_data()).status_code == 302
    html = client.get("/annuaire/apec/").content.decode()
    assert "Cadres et jeunes diplômés" in html and "Accueil Saint-Denis" in html
    assert AuditEntry.objects.filter(action="partners.site.created").count() == 1


def test_a_duplicate_site_name_gets_a_french_message(reference, client):
    manager = MembershipFactory(manager=True, organisation=Organisation.objects.get(slug="apec"))
    client.force_login(manager.user)
    client.post("/espace/mon-organisation/sites/nouveau/", _site_data())
    response = client.post("/espace/mon-organisation/sites/nouveau/", _site_data())
    assert response.status_code == 200
    assert "porte déjà ce nom" in unescape(response.content.decode())


def test_another_organisations_site_is_404_to_a_manager(reference, client):
    from maillage.partners.models import Department, Site

    other = Site.objects.create(
        organisation=Organisation.objects.get(slug="afdas"),
        name="Site Afdas",
        department=Department.objects.get(code="75"),
    )
    manager = MembershipFactory(manager=True, organisation=Organisation.objects.get(slug="apec"))
    client.force_login(manager.user)
    assert client.get(f"/espace/mon-organisation/sites/{other.pk}/").status_code == 404
    assert client.post(f"/espace/mon-organisation/sites/{other.pk}/supprimer/").status_code == 404
    assert (
        client.post(f"/espace/mon-organisation/sites/{other.pk}/", _site_data()).status_code == 404
    )
    assert Site.objects.filter(pk=other.pk, name="Site Afdas").exists()
