"""A manager keeps their operator's record complete; other operators' records answer 404."""

import re
from html import unescape

import pytest

from maillage.core.models import AuditEntry
from maillage.partners import demo as partners_demo
from maillage.partners.models import Organisation, ServiceOffer, Site
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(reference):
    partners_demo.build()


def _manager(client, slug):
    membership = MembershipFactory(manager=True, organisation=Organisation.objects.get(slug=slug))
    client.force_login(membership.user)
    return membership


def _gauge(client):
    html = unescape(client.get("/espace/mon-organisation/").content.decode())
    return int(re.search(r'<meter id="jauge-completude"[^>]* value="(\d+)"', html).group(1)), html


def _site_data(site, **changes):
    data = {
        "name": site.name,
        "siret": site.siret,
        "address": site.address,
        "postcode": site.postcode,
        "city": site.city,
        "commune_code": site.commune_id or "",
        "department": site.department_id,
        "latitude": site.latitude if site.latitude is not None else "",
        "longitude": site.longitude if site.longitude is not None else "",
        "phone": site.phone,
        "email": site.email,
        "opening_hours": site.opening_hours,
        "accessibility_url": site.accessibility_url,
    }
    data.update(changes)
    return data


def test_the_gauge_moves_when_a_missing_field_is_filled(directory, client):
    _manager(client, "apec")
    before, html = _gauge(client)
    assert "Acceslibre" in html and "SIRET de l'organisation" in html
    site = Site.objects.filter(organisation__slug="apec").first()
    url = "https://acceslibre.beta.gouv.fr/app/75-paris/a/centre-de-formation/erp/apec-demo/"
    response = client.post(
        f"/espace/mon-organisation/sites/{site.pk}/", _site_data(site, accessibility_url=url)
    )
    assert response.status_code == 302
    after, _html = _gauge(client)
    assert after > before
    site.refresh_from_db()
    assert site.accessibility_url == url


def test_a_site_gets_its_insee_code_and_position_from_its_commune(directory, client):
    _manager(client, "apec")
    site = Site.objects.filter(organisation__slug="apec", department_id="93").first()
    data = _site_data(site, commune_code="93200", latitude="", longitude="", phone="01 99 00 12 34")
    assert client.post(f"/espace/mon-organisation/sites/{site.pk}/", data).status_code == 302
    site.refresh_from_db()
    assert site.commune_id == "93066" and site.latitude and site.phone == "+33199001234"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("siret", "12345678901234", "clé de contrôle"),
        ("phone", "12", "numéro de téléphone"),
        ("opening_hours", "du lundi au vendredi", "format OpenStreetMap"),
        ("accessibility_url", "https://example.org/fiche", "Acceslibre"),
        ("commune_code", "75056", "pas dans le département"),
    ],
)
def test_bad_values_are_french_messages_on_the_page(directory, client, field, value, message):
    _manager(client, "apec")
    site = Site.objects.filter(organisation__slug="apec", department_id="93").first()
    response = client.post(
        f"/espace/mon-organisation/sites/{site.pk}/", _site_data(site, **{field: value})
    )
    assert response.status_code == 200
    assert message in unescape(response.content.decode())


def test_another_operators_site_and_offer_answer_404(directory, client):
    _manager(client, "apec")
    other_site = Site.objects.filter(organisation__slug="afdas").first()
    other_offer = ServiceOffer.objects.filter(organisation__slug="afdas").first()
    assert client.get(f"/espace/mon-organisation/sites/{other_site.pk}/").status_code == 404
    url = f"/espace/mon-organisation/offres/{other_offer.public_id}/diffusion/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"mobilisation_modes": ["telephoner"]}).status_code == 404
    assert (
        client.post(f"/espace/mon-organisation/sites/{other_site.pk}/supprimer/").status_code == 404
    )


def test_a_manager_says_where_an_offer_is_delivered_and_how_to_ask(directory, client):
    _manager(client, "apec")
    offer = ServiceOffer.objects.filter(organisation__slug="apec").first()
    sites = list(Site.objects.filter(organisation__slug="apec").order_by("pk")[:2])
    stamp = offer.updated_at
    response = client.post(
        f"/espace/mon-organisation/offres/{offer.public_id}/diffusion/",
        {
            "sites": [s.pk for s in sites],
            "mobilisation_modes": ["telephoner", "utiliser-lien-mobilisation"],
            "mobilisable_by": ["usagers"],
            "mobilisation_url": "https://www.apec.fr/rendez-vous",
            "eligibility_departments": ["75", "93"],
            "is_free": "on",
        },
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert set(offer.sites.all()) == set(sites)
    assert offer.mobilisation_modes == ["telephoner", "utiliser-lien-mobilisation"]
    assert offer.eligibility_departments == ["75", "93"] and offer.updated_at > stamp
    assert AuditEntry.objects.filter(action="partners.offer.distribution_updated").exists()


def test_an_online_mode_without_a_link_is_refused(directory, client):
    _manager(client, "apec")
    offer = ServiceOffer.objects.filter(organisation__slug="apec").first()
    response = client.post(
        f"/espace/mon-organisation/offres/{offer.public_id}/diffusion/",
        {"mobilisation_modes": ["utiliser-lien-mobilisation"], "mobilisation_url": ""},
    )
    assert response.status_code == 200
    assert "Donnez le lien" in unescape(response.content.decode())


def test_the_profile_takes_a_siret_and_a_regional_contact(directory, client):
    _manager(client, "apec")
    before, _ = _gauge(client)
    organisation = Organisation.objects.get(slug="apec")
    response = client.post(
        "/espace/mon-organisation/",
        {
            "public_summary": organisation.public_summary,
            "description": organisation.description,
            "website": organisation.website,
            "siret": "13003013300016",
            "phone": "01 99 00 55 55",
            "email": "contact@apec.demo",
        },
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert (organisation.siret, organisation.phone) == ("13003013300016", "+33199005555")
    assert _gauge(client)[0] > before
