"""Small counts are never shown: pages, CSV, XLSX and API agree, and totals give nothing away."""

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.indicators.conftest import PERIOD, bearer, page_tables, row_of

pytestmark = pytest.mark.django_db

NUMERIC = str.isdigit


def _signed_in(client, membership):
    client.force_login(membership.user)
    return client


def test_the_flow_matrix_page_shows_a_small_count_as_below_five(client, people):
    html = _signed_in(client, people["coordinator"]).get("/indicateurs/", PERIOD).content.decode()
    flows = page_tables(html)["flux"]
    header = flows[0]
    alpha = row_of(flows, "Alpha Conseil")
    assert alpha[header.index("Beta Orientation")] == "< 5"
    beta = row_of(flows, "Beta Orientation")
    assert beta[header.index("Gamma Emploi")] == "6"


def test_no_line_of_the_flow_matrix_lets_one_subtract_a_hidden_count(client, people):
    html = _signed_in(client, people["coordinator"]).get("/indicateurs/", PERIOD).content.decode()
    flows = page_tables(html)["flux"]
    body = flows[1:]
    columns = list(zip(*body, strict=True))[1:]
    for line in [row[1:] for row in body] + [list(c) for c in columns]:
        unknown = [c for c in line if c in ("< 5", "masqué")]
        # Either nothing is hidden, or at least two cells are: a sum never isolates one.
        assert len(unknown) != 1, line


def test_the_csv_export_hides_the_same_cell(client, people):
    response = _signed_in(client, people["coordinator"]).get("/indicateurs/export/flux.csv", PERIOD)
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    alpha = row_of(rows, "Alpha Conseil")
    # Hidden: an empty cell (a sum still works), told in the « Secret statistique » column.
    assert alpha[rows[0].index("Beta Orientation")] == ""
    assert "Beta Orientation : < 5" in alpha[rows[0].index("Secret statistique")]
    assert "3" not in alpha


def test_the_xlsx_export_hides_the_same_cell(client, people):
    response = _signed_in(client, people["coordinator"]).get(
        "/indicateurs/export/flux.xlsx", PERIOD
    )
    assert response["Content-Disposition"].startswith('attachment; filename="maillage-flux-')
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert "effectifs inférieurs à 5 masqués" in rows[0][0]
    header = rows[1]
    alpha = next(r for r in rows if r[0] == "Alpha Conseil")
    assert alpha[header.index("Beta Orientation")] is None
    assert "Beta Orientation : < 5" in alpha[header.index("Secret statistique")]
    assert 3 not in alpha


def test_the_daily_export_hides_small_counts_too(client, people):
    response = _signed_in(client, people["coordinator"]).get(
        "/indicateurs/export/journalier.csv", PERIOD
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")),
                           delimiter=";"))  # fmt: skip
    alpha_beta = next(r for r in rows if r[1:3] == ["Alpha Conseil", "Beta Orientation"])
    assert alpha_beta[4] == ""  # the 3 referrals sent: hidden
    assert "< 5" in alpha_beta[-1]
    assert all(not (cell.isdigit() and 0 < int(cell) < 5) for row in rows[1:] for cell in row[4:])


def test_the_api_returns_null_for_a_small_count(client, people):
    body = client.get(
        "/api/v1/indicators/referral-flows",
        {"from": "2025-03-01", "to": "2025-03-31"},
        headers=bearer(people["coordinator"]),
    ).json()
    assert body["suppressed_below"] == 5
    operators = body["operators"]
    assert operators == ["alpha", "beta", "gamma"]
    alpha, beta = operators.index("alpha"), operators.index("beta")
    gamma = operators.index("gamma")
    assert body["matrix"][alpha][beta] is None
    assert body["matrix"][beta][gamma] == 6
    numbers = [v for row in body["matrix"] for v in row if v is not None]
    assert all(v == 0 or v >= 5 for v in numbers)


def test_the_api_tables_hide_small_counts_and_masked_cells(client, people):
    body = client.get(
        "/api/v1/indicators/tables/motifs",
        {"from": "2025-03-01", "to": "2025-03-31"},
        headers=bearer(people["coordinator"]),
    ).json()
    duplicate = next(row for row in body["rows"] if row[0] == "Doublon")
    assert duplicate[1] is None  # 4 refusals: hidden
    assert duplicate[2] is None  # and so is their share


def test_a_rate_is_hidden_when_a_part_of_it_is_hidden(client, people):
    html = _signed_in(client, people["coordinator"]).get("/indicateurs/", PERIOD).content.decode()
    answers = page_tables(html)["reponses"]
    gamma = row_of(answers, "Gamma Emploi")
    header = answers[0]
    assert gamma[header.index("Refusées")] == "< 5"
    # 10 accepted out of 14 answers would give the 4 refusals away.
    assert gamma[header.index("Taux d'acceptation")] == "—"


def test_the_threshold_is_a_setting(client, people, settings):
    settings.MAILLAGE_INDICATORS_SUPPRESS_BELOW = 3
    html = _signed_in(client, people["coordinator"]).get("/indicateurs/", PERIOD).content.decode()
    flows = page_tables(html)["flux"]
    alpha = row_of(flows, "Alpha Conseil")
    assert alpha[flows[0].index("Beta Orientation")] == "3"
    assert "inférieur à 3" in html
