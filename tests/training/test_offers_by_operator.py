"""'Qui propose quoi' is one card per operator: every operator is there, filters are GET links."""

from html import unescape

import pytest

from maillage.partners.models import ServiceOffer
from tests.factories import OrganisationFactory
from tests.html_read import parse

pytestmark = pytest.mark.django_db


def _offer(organisation, title, *, publics=("jeunes",), themes=("conseil",), modes=("phone",)):
    return ServiceOffer.objects.create(
        organisation=organisation,
        title=title,
        publics=list(publics),
        themes=list(themes),
        modes=list(modes),
        description=f"Ce que propose « {title} ».",
        how_to_ask="Appelez l'accueil.",
    )


def _cards(html):
    return len(parse(html).xpath("//li[h2/a[starts-with(@href, '/annuaire/')]]"))


def test_every_operator_gets_its_card_with_all_its_offers(client):
    operators = [OrganisationFactory(name=f"Opérateur {i:02d}") for i in range(12)]
    for index, operator in enumerate(operators):
        _offer(operator, f"Offre A de {operator.name}")
        if index % 2:
            _offer(operator, f"Offre B de {operator.name}", themes=["vae"])
    page = unescape(client.get("/qui-propose-quoi/").content.decode())
    assert _cards(page) == 12
    for operator in operators:
        assert operator.name in page and f"Offre A de {operator.name}" in page
    assert "18 offres chez 12 opérateurs." in page
    assert "Ce que propose « Offre A de Opérateur 00 »." in page  # in a <details>


def test_an_operator_without_a_matching_offer_is_named_not_hidden(client):
    arml = OrganisationFactory(name="ARML")
    apec = OrganisationFactory(name="Apec")
    OrganisationFactory(name="Sans offre")
    _offer(arml, "Contrat d'engagement jeune", themes=["recherche_emploi"])
    _offer(apec, "Conseil aux cadres", publics=["cadres"])
    response = client.get("/qui-propose-quoi/", {"theme": "recherche_emploi"})
    page = unescape(response.content.decode())
    assert _cards(page) == 1 and "Contrat d'engagement jeune" in page
    assert "Conseil aux cadres" not in page
    assert "Opérateurs sans offre correspondante" in page
    assert "Apec" in page and "Sans offre" in page


def test_the_theme_links_keep_the_other_filters(client):
    arml = OrganisationFactory(name="ARML", slug="arml")
    _offer(arml, "Premier accueil", themes=["conseil", "recherche_emploi"])
    page = client.get("/qui-propose-quoi/", {"public": "jeunes"}).content.decode()
    assert 'href="?public=jeunes&amp;theme=recherche_emploi"' in page
    assert 'href="?public=jeunes&amp;theme=conseil"' in page


def test_the_operator_filter_shows_one_operator(client):
    arml = OrganisationFactory(name="ARML", slug="arml")
    apec = OrganisationFactory(name="Apec", slug="apec-test")
    _offer(arml, "Premier accueil")
    _offer(apec, "Conseil aux cadres")
    page = unescape(client.get("/qui-propose-quoi/", {"operator": "apec-test"}).content.decode())
    assert "Conseil aux cadres" in page and "Premier accueil" not in page
    assert "Opérateurs sans offre correspondante" not in page
