"""A coordinator changes a rule with the form, sees the preview and the warning, publishes, then
goes back to the previous version; the rules list fits a 360 px screen."""

import re

import pytest
from playwright.sync_api import expect

from maillage.routing import engine


@pytest.fixture
def site(demo_site):
    engine.invalidate()  # the demo data was just loaded: no compiled copy from another test
    return demo_site


def _page_overflow(page):
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_a_rule_built_with_the_form_then_reverted(site, page, sign_in, assert_accessible):
    sign_in(page, site.url, "coordination@region-idf.demo")
    page.goto(site.url + "/espace/aiguillage/regles/")
    r3 = page.locator("tr", has=page.get_by_role("rowheader", name="R3", exact=True))
    expect(r3).to_contain_text("âge de 16 à 25 ans")
    expect(r3).to_contain_text("ARML Île-de-France (Missions locales)")
    assert_accessible(page)
    page.get_by_role("link", name="Modifier la règle R3").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Modifier la règle R3")
    age = page.get_by_role("group", name="Âge")
    expect(age.get_by_label("Âge minimum (inclus, vide = sans limite)")).to_have_value("16")
    situation = page.get_by_role("group", name="Situation", exact=True)
    expect(situation.get_by_label("Demandeur d'emploi")).to_be_checked()
    expect(page.get_by_label(re.compile("^Conditions"))).to_have_count(0)  # no YAML here
    assert_accessible(page)

    age.get_by_label("Âge maximum (inclus, vide = sans limite)").fill("29")
    page.get_by_label("Motif de la modification").fill("Moins de 30 ans")
    page.get_by_label("Date de l'aperçu (par défaut aujourd'hui)").fill("2020-06-01")
    page.get_by_role("button", name="Aperçu de l'effet").click()

    preview = page.locator(".routing-preview")
    expect(preview).to_contain_text("La règle s'appliquera si : âge de 16 à 29 ans")
    expect(preview.get_by_role("alert").first).to_contain_text(
        "L'explication dit « entre 16 et 25 ans » mais la condition porte sur les âges "
        "de 16 à 29 ans."
    )
    expect(preview.get_by_role("table")).to_contain_text("Pôle emploi")  # names of 2020
    assert_accessible(page)

    page.get_by_role("button", name="Publier").click()
    expect(page).to_have_url(re.compile(r"/espace/aiguillage/historique/$"))
    expect(page.get_by_text("La règle R3 est publiée.")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Moins de 30 ans"))).to_be_visible()
    assert_accessible(page)
    page.goto(site.url + "/espace/aiguillage/regles/")
    expect(r3).to_contain_text("âge de 16 à 29 ans")
    expect(r3).to_contain_text("Explication à revoir")

    page.goto(site.url + "/espace/aiguillage/historique/")
    # The most recent first: the first way back is the version just before the publication.
    previous = page.get_by_role("button", name=re.compile(r"^Revenir à cette version")).first
    label = previous.inner_text()
    number = re.search(r"n° (\d+)", label).group(1)
    previous.click()
    expect(page.locator(".message-success")).to_contain_text(
        f"Retour à la révision n° {number} : ses règles sont republiées"
    )
    expect(
        page.get_by_role("row", name=re.compile(f"Retour à la révision n° {number}"))
    ).to_be_visible()
    assert_accessible(page)
    page.goto(site.url + "/espace/aiguillage/regles/")
    expect(r3).to_contain_text("âge de 16 à 25 ans")
    expect(r3).not_to_contain_text("Explication à revoir")


def test_the_rules_pages_fit_a_360_px_screen(site, browser, sign_in, assert_accessible):
    context = browser.new_context(
        locale="fr-FR", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    phone = context.new_page()
    sign_in(phone, site.url, "coordination@region-idf.demo")
    for path in (
        "/espace/aiguillage/regles/",
        "/espace/aiguillage/regles/R6a/",
        "/espace/aiguillage/historique/",
    ):
        phone.goto(site.url + path)
        expect(phone.get_by_role("heading", level=1)).to_be_visible()
        assert _page_overflow(phone) <= 0, path
        assert_accessible(phone)
    context.close()
