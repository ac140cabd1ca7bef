"""Periods and departments: month, quarter, year, custom; bad input is a French message."""

from datetime import date

import pytest

from maillage.core.errors import DomainError
from maillage.indicators.models import ReferralFlowFact
from maillage.indicators.periods import Period, named_period, period_from_params
from maillage.indicators.selectors.facts import facts, totals
from maillage.indicators.services import rollups_rebuild
from tests.factories import OrganisationFactory
from tests.indicators.conftest import bearer
from tests.indicators.factories import local, referral_with_history

TODAY = date(2026, 11, 28)


@pytest.mark.parametrize(
    ("key", "start", "end"),
    [
        ("2025-03", date(2025, 3, 1), date(2025, 3, 31)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2025-T1", date(2025, 1, 1), date(2025, 3, 31)),
        ("2025-T4", date(2025, 10, 1), date(2025, 12, 31)),
        ("2025", date(2025, 1, 1), date(2025, 12, 31)),
        ("12m", date(2025, 12, 1), TODAY),
        ("", date(2025, 12, 1), TODAY),
    ],
)
def test_named_periods(key, start, end):
    period = named_period(key, today=TODAY)
    assert (period.start, period.end) == (start, end)


def test_a_custom_period_reads_both_dates():
    period = period_from_params({"periode": "perso", "du": "2025-02-10", "au": "2025-04-03"})
    assert (period.start, period.end, period.label) == (
        date(2025, 2, 10),
        date(2025, 4, 3),
        "la période du 10 février 2025 au 3 avril 2025",
    )


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"periode": "2025-T5"}, "periode", "Période inconnue"),
        ({"periode": "n'importe"}, "periode", "Période inconnue"),
        ({"periode": "perso", "du": "2025-02-10"}, "au", "Indiquez les deux dates"),
        ({"periode": "perso", "du": "10/02/2025", "au": "2025-03-01"}, "du", "AAAA-MM-JJ"),
        ({"periode": "perso", "du": "2025-03-10", "au": "2025-03-01"}, "au", "précède"),
    ],
)
def test_bad_periods_are_refused_with_a_french_message(params, field, message):
    with pytest.raises(DomainError) as error:
        period_from_params(params)
    assert error.value.field == field and message in error.value.message


@pytest.mark.django_db
def test_whole_months_are_read_from_month_rows_and_the_edges_from_day_rows():
    a, b = OrganisationFactory(), OrganisationFactory()

    def fact(span, day, sent):
        ReferralFlowFact.objects.create(
            span=span, day=day, sender=a, receiver=b, department="*", sent=sent
        )

    fact("month", date(2025, 1, 1), 100)
    fact("day", date(2025, 1, 10), 1)
    fact("day", date(2025, 1, 20), 2)
    fact("month", date(2025, 2, 1), 50)
    fact("day", date(2025, 2, 5), 7)
    fact("month", date(2025, 3, 1), 30)
    fact("day", date(2025, 3, 1), 4)

    def total(start, end):
        period = Period(start, end, "perso", "")
        return totals(facts(ReferralFlowFact, period), ["sent"])["sent"]

    # 20 January from its day row, February from its month row, 1 March from its day row.
    assert total(date(2025, 1, 15), date(2025, 3, 1)) == 2 + 50 + 4
    assert total(date(2025, 1, 1), date(2025, 2, 28)) == 150
    assert total(date(2025, 2, 5), date(2025, 2, 5)) == 7


@pytest.mark.django_db
def test_a_bad_period_on_the_page_shows_the_message_and_the_default_period(client, people):
    client.force_login(people["coordinator"].user)
    response = client.get("/indicateurs/", {"periode": "perso", "du": "2025-03-10", "au": "x"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Date invalide : « x »" in html
    assert "portent sur les 12 derniers mois" in html
    assert 'aria-invalid="true"' in html


@pytest.mark.django_db
def test_an_unknown_department_is_a_message_not_an_error(client, people):
    client.force_login(people["coordinator"].user)
    html = client.get("/indicateurs/", {"departement": "999"}).content.decode()
    assert "Département inconnu : « 999 »" in html


@pytest.mark.django_db
def test_a_bad_export_period_is_refused_rather_than_replaced(client, people):
    client.force_login(people["coordinator"].user)
    response = client.get("/indicateurs/export/flux.csv", {"periode": "2025-13"})
    assert response.status_code == 400
    assert "Période inconnue" in response.content.decode()


@pytest.mark.django_db
def test_the_api_answers_422_with_field_errors(client, people):
    headers = bearer(people["coordinator"])
    response = client.get(
        "/api/v1/indicators/delays", {"from": "2025-03-10", "to": "2025-03-01"}, headers=headers
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "to", "message": response.json()["detail"]}]
    response = client.get(
        "/api/v1/indicators/referral-flows", {"from": "hier", "to": "2025-03-01"}, headers=headers
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "from"
    response = client.get(
        "/api/v1/indicators/referral-flows", {"department": "999"}, headers=headers
    )
    assert response.status_code == 422 and "Département inconnu" in response.json()["detail"]


@pytest.mark.django_db
def test_a_department_filter_narrows_the_figures(client, reference, people, partnership):
    for _ in range(5):
        referral_with_history(
            sender=partnership["gamma"],
            receiver=partnership["alpha"],
            sent=local(date(2025, 3, 12)),
            department="75",
        )
    rollups_rebuild()
    headers = bearer(people["coordinator"])
    period = {"from": "2025-03-01", "to": "2025-03-31"}
    everywhere = client.get("/api/v1/indicators/referral-flows", period, headers=headers).json()
    paris = client.get(
        "/api/v1/indicators/referral-flows", {**period, "department": "75"}, headers=headers
    ).json()
    assert everywhere["department"] is None and paris["department"] == "75"
    # In Paris only Gamma's five referrals to Alpha: no small cell, nothing hidden.
    gamma, alpha = paris["operators"].index("gamma"), paris["operators"].index("alpha")
    assert paris["matrix"][gamma][alpha] == 5
    assert sum(v or 0 for row in paris["matrix"] for v in row) == 5
    assert everywhere["operators"] == ["alpha", "beta", "gamma"]
