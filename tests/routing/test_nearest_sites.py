"""The finder's result ends with someone to contact: nearest sites with their distance."""

import re
from html import unescape

import pytest

from maillage.partners import demo as partners_demo
from maillage.partners.models import Organisation, Site

pytestmark = pytest.mark.django_db

RESULT = "/trouver-mon-conseiller/resultat/"
YOUNG_JOB_SEEKER = {"department": "93", "status": "job_seeker", "age": "22"}


@pytest.fixture
def directory(rules):
    partners_demo.build()


def _sections(html):
    """Per operator heading id: the text of its block in the result page."""
    blocks = re.split(r'<h3 id="op-', html)[1:]
    return {b.split('"', 1)[0]: unescape(re.sub(r"<[^>]+>", " ", b)) for b in blocks}


@pytest.mark.parametrize("commune", ["Saint-Denis", "saint denis", "93200", "St-Denis"])
def test_a_commune_or_postcode_lists_the_nearest_sites_with_distance(directory, client, commune):
    html = client.get(RESULT, {**YOUNG_JOB_SEEKER, "commune": commune}).content.decode()
    sections = _sections(html)
    # ARML (suggested) and Pôle emploi (alternative): each its nearest sites, with distance.
    assert {"arml-idf", "pole-emploi"} <= set(sections)
    for slug, text in sections.items():
        assert "Saint-Denis" in text, slug
        distances = [
            float(d.replace(",", "."))
            for d in re.findall(r"à (\d+(?:,\d+)?) km", text.replace("moins de 1 km", "0 km"))
        ]
        assert distances and distances == sorted(distances), (slug, text)
    assert "Commune" in unescape(html) and "Saint-Denis (93200)" in unescape(html)


def test_the_nearest_site_is_the_closest_one(directory, client):
    # ARML's demo sites in 93 is in Saint-Denis itself (or Bobigny): less than 10 km away.
    html = client.get(RESULT, {**YOUNG_JOB_SEEKER, "commune": "93200"}).content.decode()
    text = _sections(html)["arml-idf"]
    first = re.search(r"à (moins de 1 km|\d+(?:,\d+)? km)", text).group(1)
    assert first == "moins de 1 km" or float(first.split()[0].replace(",", ".")) < 10


def test_the_commune_stays_in_the_shareable_link_and_the_change_link(directory, client):
    html = client.get(RESULT, {**YOUNG_JOB_SEEKER, "commune": "Saint-Denis"}).content.decode()
    assert "commune=Saint-Denis" in html
    back = client.get("/trouver-mon-conseiller/", {**YOUNG_JOB_SEEKER, "commune": "Saint-Denis"})
    assert 'value="Saint-Denis"' in back.content.decode()


def test_an_unknown_commune_is_a_french_message_and_the_result_still_shows(directory, client):
    response = client.get(RESULT, {**YOUNG_JOB_SEEKER, "commune": "Trifouillis"})
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert "n'est pas dans notre référentiel" in html
    assert "ARML" in html


def test_without_a_site_in_the_department_the_regional_contact_shows(directory, client):
    apec = Organisation.objects.get(slug="apec")
    Site.objects.filter(organisation=apec, department_id="78").delete()
    apec.phone, apec.email = "+33199009999", "contact@apec.demo"
    apec.save()
    profile = {"department": "78", "status": "job_seeker", "cadre": "oui"}
    html = unescape(client.get(RESULT, profile).content.decode())
    text = _sections(html)["apec"]
    assert "Pas d'accueil enregistré dans votre département" in text
    assert "01 99 00 99 99" in text and "contact@apec.demo" in text
    # With a commune, the nearest sites elsewhere come with their distance as well.
    html = client.get(RESULT, {**profile, "commune": "Versailles"}).content.decode()
    assert re.search(r"à \d+(,\d+)? km", _sections(html)["apec"])


def test_a_gateway_gets_no_regional_contact_block(directory, client):
    profile = {"department": "75", "status": "employed_public"}
    html = unescape(client.get(RESULT, profile).content.decode())
    assert "Pas d'accueil enregistré" not in _sections(html)["employeur-public"]
