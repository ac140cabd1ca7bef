"""The activity report is a real, tagged PDF through the one engine, read back by pdftotext."""

import pytest

from tests.indicators.conftest import PERIOD
from tests.pdfcheck import assert_real_tagged_pdf

pytestmark = pytest.mark.django_db


def test_the_activity_report_downloads_as_a_tagged_pdf_with_its_figures(client, people):
    client.force_login(people["coordinator"].user)
    page = client.get("/indicateurs/rapport/", PERIOD).content.decode()
    assert "format=pdf" in page  # the page offers the PDF
    response = client.get("/indicateurs/rapport/", {**PERIOD, "format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="rapport-activite-')
    text = assert_real_tagged_pdf(
        response.content,
        "Rapport d'activité du partenariat",
        "Chiffres clés",
        "Gamma Emploi",
        "mars 2025",
    )
    # Counts under the threshold stay suppressed in the PDF too.
    assert "< 5" in text


def test_a_counsellor_gets_no_report_pdf(client, people):
    client.force_login(people["counsellor"].user)
    response = client.get("/indicateurs/rapport/", {**PERIOD, "format": "pdf"})
    assert response.status_code == 403
