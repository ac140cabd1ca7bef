"""List pages stay within a fixed number of queries, and odd input never gives a 500."""

import pytest

from maillage.partners.models import ServiceOffer
from tests.factories import MembershipFactory, OrganisationFactory
from tests.training.factories import make_resource, make_session

pytestmark = pytest.mark.django_db


def test_the_catalogue_query_count_does_not_grow_with_resources(
    client, django_assert_max_num_queries
):
    for index in range(25):
        make_resource(title=f"Fiche {index}", themes=["outils"])
    with django_assert_max_num_queries(8):
        response = client.get("/bibliotheque/")
    assert response.status_code == 200
    assert response.content.decode().count('class="resource-card"') == 20  # one page


def test_the_offers_grid_query_count_does_not_grow_with_offers(
    client, django_assert_max_num_queries
):
    for index in range(10):
        ServiceOffer.objects.create(
            organisation=OrganisationFactory(),
            title=f"Offre {index}",
            publics=["jeunes", "cadres"],
            themes=["conseil"],
        )
    with django_assert_max_num_queries(4):
        assert client.get("/qui-propose-quoi/").status_code == 200


def test_the_sessions_list_query_count_is_bounded(client, django_assert_max_num_queries):
    for index in range(6):
        make_session(title=f"Session {index}", days_ahead=3 + index)
    client.force_login(MembershipFactory().user)
    with django_assert_max_num_queries(12):
        response = client.get("/espace/formations/")
    assert response.content.decode().count("<h2><a href=") == 6


@pytest.mark.parametrize(
    "query",
    ['"', "(*", "AND OR NOT", "formation*", "l'", "a" * 300, "NEAR(x y)", "' OR 1=1 --"],
)
def test_odd_searches_answer_normally(client, query):
    make_resource(title="Formation")
    assert client.get("/bibliotheque/", {"q": query}).status_code == 200
    assert client.get("/api/v1/library", {"q": query}).status_code == 200


def test_bad_filters_and_pages_answer_normally(client):
    make_resource(title="Formation")
    assert client.get("/bibliotheque/?theme=inconnu&page=abc").status_code == 200
    assert client.get("/bibliotheque/999999/").status_code == 404
    assert client.get("/bibliotheque/1/versions/99/telecharger/").status_code == 404
