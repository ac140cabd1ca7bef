"""Cross-training journeys: enrol, be checked in, download the certificate; validate a
resource; search the library as a visitor. Every page passes axe-core."""

import re
from pathlib import Path

from playwright.sync_api import expect

SESSION = "Le marché de l'emploi en Seine-Saint-Denis"
COUNSELLOR = "conseiller@cheops-idf.demo"


def test_a_counsellor_enrols_is_checked_in_and_downloads_the_certificate(
    demo_site, browser, page, sign_in, assert_accessible
):
    sign_in(page, demo_site.url, COUNSELLOR)
    page.get_by_role("link", name="Professionnalisation croisée").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Professionnalisation croisée")
    assert_accessible(page)
    page.get_by_role("link", name=SESSION).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SESSION)
    page.get_by_role("button", name="M'inscrire").click()
    expect(page.locator(".message-success")).to_contain_text("inscrit·e")
    expect(page.locator(".enrolment-status")).to_contain_text("votre place est confirmée")
    assert_accessible(page)
    session_url = page.url

    # The host operator's manager checks the counsellor in, in their own browser.
    host = browser.new_context(locale="fr-FR")
    host_page = host.new_page()
    sign_in(host_page, demo_site.url, "responsable@afdas.demo")
    host_page.goto(session_url)
    host_page.get_by_role("link", name="Pointage des participants").click()
    expect(host_page.get_by_role("heading", level=1)).to_contain_text("Pointage")
    assert_accessible(host_page)
    host_page.get_by_role("button", name=re.compile(r"^Présent : Camille Conseil Cheops")).click()
    expect(host_page.locator(".message-success")).to_contain_text("Camille Conseil Cheops")
    expect(host_page.locator("p[role=status]")).to_have_text("1 présent sur 1 inscrit.")
    host.close()

    page.reload()
    expect(page.locator(".enrolment-status")).to_contain_text("pointé·e présent·e")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger mon attestation de présence (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    assert Path(download.path()).read_bytes().startswith(b"%PDF-")
    assert_accessible(page)


def test_a_coordinator_validates_a_submitted_resource(demo_site, page, sign_in, assert_accessible):
    title = "Les métiers du spectacle vivant et leurs formations"
    sign_in(page, demo_site.url, "coordination@region-idf.demo")
    page.get_by_role("link", name="Bibliothèque : à valider").click()
    expect(page.get_by_role("heading", name="À valider")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=title).click()
    expect(page.locator(".badge.status-submitted")).to_have_text("Soumise à validation")
    page.get_by_label("Commentaire (facultatif) avant « Valider et publier »").fill(
        "Validée pour le réseau."
    )
    page.get_by_role("button", name="Valider et publier").click()
    expect(page.locator(".message-success")).to_have_text("La ressource est validée et publiée.")
    expect(page.locator(".badge.status-published")).to_have_text("Publiée")
    expect(page.locator(".timeline")).to_contain_text("Validée pour le réseau.")
    assert_accessible(page)


def test_an_anonymous_visitor_searches_and_finds_only_public_resources(
    demo_site, page, assert_accessible
):
    page.goto(demo_site.url + "/")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Bibliothèque"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bibliothèque partagée")
    page.get_by_role("searchbox", name="Rechercher").fill("formations")
    page.get_by_role("button", name="Rechercher").click()
    results = page.locator("ul.resources > li h2")
    expect(results).to_have_count(1)
    expect(results.first).to_have_text("Le marché de la formation en Île-de-France")
    assert_accessible(page)
    # Without a search: public resources only, never the partners' or the committee's.
    page.goto(demo_site.url + "/bibliotheque/")
    titles = page.locator("ul.resources > li h2").all_inner_texts()
    assert "Grille d'entretien partagée du premier accueil" not in titles
    assert not any("comité technique" in t for t in titles)
    assert set(titles) == {
        "Le marché de la formation en Île-de-France",
        "Guide du projet de transition professionnelle",
    }
    page.goto(demo_site.url + "/qui-propose-quoi/")
    expect(page.locator("ul.operator-offers")).to_contain_text(
        "Maintien dans l'emploi des salariés"
    )
    assert_accessible(page)


def test_library_and_offers_work_on_a_phone_without_javascript(browser, demo_site):
    context = browser.new_context(
        locale="fr-FR", viewport={"width": 360, "height": 740}, java_script_enabled=False
    )
    page = context.new_page()
    for path in ("/bibliotheque/?q=guide", "/qui-propose-quoi/?public=jeunes"):
        page.goto(demo_site.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} déborde horizontalement ({width}px)"
    page.goto(demo_site.url + "/bibliotheque/?q=guide")
    expect(page.locator("ul.resources > li h2")).to_have_text(
        ["Guide du projet de transition professionnelle"]
    )
    context.close()
