"""'Qui propose quoi': the grid is public; each operator's managers keep their own offers."""

from html import unescape

import pytest

from maillage.core.models import AuditEntry
from maillage.partners.models import ServiceOffer
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _offer(organisation, title, publics=("jeunes",), themes=("conseil",), active=True):
    return ServiceOffer.objects.create(
        organisation=organisation,
        title=title,
        publics=list(publics),
        themes=list(themes),
        modes=["in_person"],
        is_active=active,
    )


def test_the_grid_shows_publics_by_operators_and_filters(client):
    arml = OrganisationFactory(name="ARML")
    cheops = OrganisationFactory(name="Cheops")
    _offer(arml, "Garantie jeunes", publics=["jeunes"], themes=["recherche_emploi"])
    _offer(cheops, "Maintien dans l'emploi", publics=["handicap"], themes=["maintien_emploi"])
    _offer(cheops, "Ancienne offre", publics=["handicap"], active=False)
    page = unescape(client.get("/qui-propose-quoi/").content.decode())
    assert "Garantie jeunes" in page and "Maintien dans l'emploi" in page
    assert "Ancienne offre" not in page
    assert "Jeunes de 16 à 25 ans" in page and "Personnes en situation de handicap" in page
    filtered = unescape(client.get("/qui-propose-quoi/?theme=maintien_emploi").content.decode())
    assert "Maintien dans l'emploi" in filtered and "Garantie jeunes" not in filtered


def test_a_manager_adds_edits_and_deactivates_their_offers(client):
    manager = MembershipFactory(manager=True)
    client.force_login(manager.user)
    response = client.post(
        "/espace/offres/nouvelle/",
        {
            "title": "Bilan de parcours",
            "publics": ["salaries_prives"],
            "themes": ["conseil"],
            "modes": ["remote"],
        },
    )
    assert response.status_code == 302
    offer = ServiceOffer.objects.get(title="Bilan de parcours")
    assert offer.organisation == manager.organisation
    client.post(
        f"/espace/offres/{offer.pk}/",
        {"title": "Bilan de parcours", "publics": ["cadres"], "themes": ["conseil"]},
    )
    offer.refresh_from_db()
    assert offer.publics == ["cadres"]
    client.post(f"/espace/offres/{offer.pk}/activation/", {"active": "0"})
    offer.refresh_from_db()
    assert not offer.is_active
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"partners.offer.created", "partners.offer.updated", "partners.offer.deactivated"} <= (
        actions
    )


def test_another_operators_offer_is_404_to_read_and_to_change(client):
    manager = MembershipFactory(manager=True)
    other = _offer(OrganisationFactory(), "Offre d'un autre")
    client.force_login(manager.user)
    url = f"/espace/offres/{other.pk}/"
    assert client.get(url).status_code == 404
    assert (
        client.post(url, {"title": "Piraté", "publics": ["jeunes"], "themes": ["vae"]}).status_code
        == 404
    )
    assert client.post(f"{url}activation/", {"active": "0"}).status_code == 404
    other.refresh_from_db()
    assert other.title == "Offre d'un autre" and other.is_active


def test_a_counsellor_cannot_manage_offers(client):
    client.force_login(MembershipFactory().user)
    assert client.get("/espace/offres/").status_code == 403


def test_a_missing_public_is_a_french_error_on_the_form(client):
    manager = MembershipFactory(manager=True)
    client.force_login(manager.user)
    response = client.post("/espace/offres/nouvelle/", {"title": "Sans public", "themes": ["vae"]})
    assert response.status_code == 200
    assert "Ce champ est obligatoire" in response.content.decode()
    assert not ServiceOffer.objects.exists()
