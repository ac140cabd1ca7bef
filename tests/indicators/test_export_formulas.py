"""Indicator exports (pages and API, CSV and XLSX): an operator's name is never a formula."""

import csv
import io

import pytest
from openpyxl import load_workbook

from maillage.indicators.services import rollups_rebuild
from tests.indicators.conftest import PERIOD, bearer, row_of

pytestmark = pytest.mark.django_db

API_PERIOD = {"from": "2025-03-01", "to": "2025-03-31"}
ALPHA = '=HYPERLINK("http://x","y")'
BETA = "@SUM(A1:A2)"


@pytest.fixture
def hostile(people, partnership):
    partnership["alpha"].name = ALPHA
    partnership["alpha"].save(update_fields=["name"])
    partnership["beta"].name = BETA
    partnership["beta"].save(update_fields=["name"])
    rollups_rebuild()  # the daily aggregates keep the names they were built with
    return people


def _body(response):
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def _csv(response):
    return list(csv.reader(io.StringIO(_body(response).decode("utf-8-sig")), delimiter=";"))


def _xlsx(response):
    return list(load_workbook(io.BytesIO(_body(response))).active.iter_rows())


@pytest.mark.parametrize(
    "path", ["/indicateurs/export/flux.csv", "/api/v1/indicators/exports/flux.csv"]
)
def test_the_csv_exports_neutralise_formulas(client, hostile, path):
    coordinator = hostile["coordinator"]
    if path.startswith("/api/"):
        response = client.get(path, API_PERIOD, headers=bearer(coordinator))
    else:
        client.force_login(coordinator.user)
        response = client.get(path, PERIOD)
    rows = _csv(response)
    header = rows[0]
    assert "'" + BETA in header and BETA not in header
    alpha = row_of(rows, "'" + ALPHA)
    assert any(cell.isdigit() for cell in alpha[1:])  # counts stay numbers


@pytest.mark.parametrize(
    "path", ["/indicateurs/export/flux.xlsx", "/api/v1/indicators/exports/flux.xlsx"]
)
def test_the_xlsx_exports_write_formulas_as_inert_text(client, hostile, path):
    coordinator = hostile["coordinator"]
    if path.startswith("/api/"):
        response = client.get(path, API_PERIOD, headers=bearer(coordinator))
    else:
        client.force_login(coordinator.user)
        response = client.get(path, PERIOD)
    rows = _xlsx(response)
    cells = [cell for row in rows for cell in row if isinstance(cell.value, str)]
    hostile_cells = [c for c in cells if ALPHA in c.value or BETA in c.value]
    assert len(hostile_cells) >= 2
    for cell in hostile_cells:
        assert cell.data_type == "s" and cell.value.startswith("'")
    assert not [c for c in rows[0] + rows[1] if c.data_type == "f"]
    alpha = next(row for row in rows if row[0].value == "'" + ALPHA)
    # Counts stay numbers (the last column is the « Secret statistique » note).
    assert [c.value for c in alpha if c.data_type == "n"][-1] == 11
