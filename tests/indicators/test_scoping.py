"""Who reads which indicators: every page, export and API route, for every role."""

import csv
import io
from datetime import timedelta

import pytest

from maillage.indicators.selectors.activity import ACTIVITY_TABLES
from maillage.indicators.selectors.referrals import TABLES
from maillage.indicators.services import rollups_rebuild
from tests.factories import OrganisationFactory
from tests.indicators.conftest import MONTH, PERIOD, bearer, page_tables
from tests.indicators.factories import local, referral_with_history

pytestmark = pytest.mark.django_db

SLUGS = [s for s in TABLES if s != "partenaires"] + list(ACTIVITY_TABLES) + [
    "formation", "matrice-formation", "journalier",
]  # fmt: skip
PAGES = ["/indicateurs/", "/indicateurs/activite/", "/indicateurs/rapport/"] + [
    f"/indicateurs/export/{slug}.{fmt}" for slug in SLUGS for fmt in ("csv", "xlsx")
]
API = [
    "/api/v1/indicators/referral-flows",
    "/api/v1/indicators/delays",
    *[f"/api/v1/indicators/tables/{s}" for s in SLUGS if s != "journalier"],
    *[f"/api/v1/indicators/exports/{s}.{fmt}" for s in SLUGS for fmt in ("csv", "xlsx")],
]
API_PERIOD = {"from": "2025-03-01", "to": "2025-03-31"}


def _content(response):
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content)
    return response.content


def _statuses(client, urls, params, **kwargs):
    return {url: client.get(url, params, **kwargs).status_code for url in urls}


def test_a_counsellor_gets_403_on_every_page_and_export(client, people):
    client.force_login(people["counsellor"].user)
    assert set(_statuses(client, PAGES, PERIOD).values()) == {403}


def test_an_anonymous_visitor_is_sent_to_sign_in(client, partnership):
    for url in PAGES:
        response = client.get(url, PERIOD)
        assert response.status_code == 302 and response["Location"].startswith("/connexion/")


@pytest.mark.parametrize("role", ["coordinator", "committee_member", "manager"])
def test_coordination_committees_and_managers_open_every_page_and_export(client, people, role):
    client.force_login(people[role].user)
    statuses = _statuses(client, PAGES, PERIOD)
    assert {u: s for u, s in statuses.items() if s != 200} == {}


def test_a_counsellor_gets_403_on_every_api_route(client, people):
    headers = bearer(people["counsellor"])
    for url in API:
        response = client.get(url, API_PERIOD, headers=headers)
        assert response.status_code == 403, url
        assert "réservés" in response.json()["detail"]


def test_the_api_needs_a_token(client, partnership):
    assert set(_statuses(client, API, API_PERIOD).values()) == {401}


@pytest.mark.parametrize("role", ["coordinator", "committee_member", "manager"])
def test_allowed_roles_read_every_api_route(client, people, role):
    statuses = _statuses(client, API, API_PERIOD, headers=bearer(people[role]))
    assert {u: s for u, s in statuses.items() if s != 200} == {}


def test_a_coordinator_sees_every_operator_in_the_flows(client, people):
    body = client.get(
        "/api/v1/indicators/referral-flows", API_PERIOD, headers=bearer(people["coordinator"])
    ).json()
    assert body["operators"] == ["alpha", "beta", "gamma"]


def test_a_manager_sees_their_row_and_column_and_the_rest_as_autres(client, people):
    body = client.get(
        "/api/v1/indicators/referral-flows", API_PERIOD, headers=bearer(people["manager"])
    ).json()
    assert body["operators"] == ["alpha", "autres"]
    # Alpha sent 11 (3 + 8) to the others and received none; flows among the others: not theirs.
    assert body["matrix"] == [[None, 11], [0, None]]


def test_a_managers_pages_never_name_a_flow_between_two_other_operators(client, people):
    client.force_login(people["manager"].user)
    html = client.get("/indicateurs/", PERIOD).content.decode()
    flows = page_tables(html)["flux"]
    assert [row[0] for row in flows[1:-1]] == ["Alpha Conseil", "Autres opérateurs"]
    answers = page_tables(html)["reponses"]
    # Alpha received nothing: only the partnership's line, never another operator's own line.
    assert [row[0] for row in answers[1:]] == ["Ensemble du partenariat"]


def test_a_managers_daily_export_holds_only_rows_of_their_operator(client, people):
    client.force_login(people["manager"].user)
    response = client.get("/indicateurs/export/journalier.csv", PERIOD)
    rows = list(csv.reader(io.StringIO(_content(response).decode("utf-8-sig")), delimiter=";"))
    assert len(rows) > 1
    assert all("Alpha Conseil" in row[1:3] for row in rows[1:])


def test_a_managers_delays_cover_their_operator_only(client, people, partnership):
    body = client.get(
        "/api/v1/indicators/delays", API_PERIOD, headers=bearer(people["manager"])
    ).json()
    assert [o["operator"] for o in body["operators"]] == []  # Alpha received nothing
    gamma_manager = people["manager"].__class__.objects.create(
        user=people["manager"].user, organisation=partnership["gamma"], role="manager"
    )
    body = client.get("/api/v1/indicators/delays", API_PERIOD, headers=bearer(gamma_manager)).json()
    assert [o["operator"] for o in body["operators"]] == ["gamma"]
    # Gamma accepted 10: Alpha's 4 after 3 business days, Beta's 6 after 1.
    assert body["operators"][0]["accepted"] == {"count": 10, "median": 1, "p90": 3}
    assert body["partnership"]["accepted"]["count"] == 10


def test_the_partners_table_is_a_managers_own_and_404_for_a_coordinator(client, people):
    client.force_login(people["manager"].user)
    assert client.get("/indicateurs/export/partenaires.csv", PERIOD).status_code == 200
    client.force_login(people["coordinator"].user)
    assert client.get("/indicateurs/export/partenaires.csv", PERIOD).status_code == 404


def test_an_unknown_table_is_404(client, people):
    client.force_login(people["coordinator"].user)
    assert client.get("/indicateurs/export/inconnu.csv").status_code == 404
    assert client.get("/indicateurs/export/flux.pdf").status_code == 404
    response = client.get(
        "/api/v1/indicators/tables/inconnu", headers=bearer(people["coordinator"])
    )
    assert response.status_code == 404


def test_the_nav_and_home_show_indicators_to_managers_not_to_counsellors(client, people):
    client.force_login(people["manager"].user)
    assert "/indicateurs/" in client.get("/espace/").content.decode()
    client.force_login(people["counsellor"].user)
    assert "/indicateurs/" not in client.get("/espace/").content.decode()


def test_the_dashboard_runs_a_bounded_number_of_queries(client, people, partnership,
                                                        django_assert_max_num_queries):  # fmt: skip
    client.force_login(people["coordinator"].user)
    client.get("/indicateurs/", PERIOD)
    with django_assert_max_num_queries(30):
        client.get("/indicateurs/", PERIOD)
    # More operators and referrals do not mean more queries (no query per operator).
    for n in range(6):
        extra = OrganisationFactory(name=f"Opérateur en plus {n}")
        referral_with_history(
            sender=extra, receiver=partnership["alpha"], sent=local(MONTH + timedelta(days=5))
        )
    rollups_rebuild()
    with django_assert_max_num_queries(30):
        client.get("/indicateurs/", PERIOD)
