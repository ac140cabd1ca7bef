"""Indicators journeys: a coordinator reads the dashboard, changes the period, exports XLSX."""

import re
from io import BytesIO

from openpyxl import load_workbook
from playwright.sync_api import expect


def test_coordinator_changes_the_period_and_exports_xlsx(
    demo_site, page, sign_in, assert_accessible
):
    sign_in(page, demo_site.url, "coordination@region-idf.demo")
    page.get_by_role("link", name="Indicateurs").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Indicateurs : orientations entre opérateurs"
    )
    expect(page.locator(".indicator-scope")).to_contain_text("les 12 derniers mois")
    expect(page.get_by_role("heading", name="Flux entre opérateurs")).to_be_visible()
    expect(page.locator("#flux svg[role=img]")).to_have_count(1)
    assert_accessible(page)

    page.get_by_label("Période", exact=True).select_option("perso")
    page.get_by_label("Du (période personnalisée)").fill("2025-01-01")
    page.get_by_label("Au", exact=True).fill("2026-12-31")
    page.get_by_role("button", name="Afficher").click()
    expect(page).to_have_url(re.compile(r"periode=perso"))
    expect(page.locator(".indicator-scope")).to_contain_text(
        "sur la période du 1er janvier 2025 au 31 décembre 2026"
    )

    with page.expect_download() as download_info:
        page.get_by_role("link", name="XLSX — Flux entre opérateurs").click()
    download = download_info.value
    assert download.suggested_filename == "maillage-flux-2025-01-01-2026-12-31.xlsx"
    with open(download.path(), "rb") as handle:  # the temporary file has no .xlsx suffix
        sheet = load_workbook(BytesIO(handle.read())).active
    title = sheet.cell(row=1, column=1).value
    assert "Flux entre opérateurs" in title and "masqués" in title
    assert sheet.cell(row=2, column=1).value == "Orienté par ↓ / vers →"

    page.get_by_role("link", name="Évènements, formation, gouvernance").click()
    expect(page.locator(".indicator-scope")).to_contain_text(
        "sur la période du 1er janvier 2025 au 31 décembre 2026"
    )
    expect(page.get_by_role("heading", name="Évènements", exact=True)).to_be_visible()
    assert_accessible(page)


def test_a_manager_reads_their_operator_against_the_partnership(
    demo_site, page, sign_in, assert_accessible
):
    sign_in(page, demo_site.url, "responsable@cheops-idf.demo")
    page.goto(demo_site.url + "/indicateurs/rapport/")
    expect(page.locator(".indicator-scope")).to_contain_text(
        "Cheops Île-de-France (Cap emploi), comparés à l'ensemble du partenariat"
    )
    expect(page.locator("#flux tbody th")).to_have_text(
        ["Cheops Île-de-France (Cap emploi)", "Autres opérateurs"]
    )
    assert_accessible(page)


def test_a_counsellor_is_refused_the_indicators(demo_site, page, sign_in):
    sign_in(page, demo_site.url, "conseiller@cheops-idf.demo")
    expect(page.get_by_role("link", name="Indicateurs")).to_have_count(0)
    response = page.goto(demo_site.url + "/indicateurs/")
    assert response.status == 403
