"""Routing journeys: the public finds their counsellor; a coordinator sees who does what."""

import re

import pytest
from playwright.sync_api import expect

from maillage.routing import engine


@pytest.fixture
def site(demo_site):
    engine.invalidate()  # the demo data was just loaded: no compiled copy from another test
    return demo_site


def test_public_form_to_result_to_the_operators_contact(site, page, assert_accessible):
    page.goto(site.url + "/")
    page.get_by_role("link", name="Trouver mon conseiller").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Trouver mon conseiller en évolution professionnelle"
    )
    assert_accessible(page)

    page.get_by_label("Département où vous habitez").select_option("75")
    page.get_by_label("Demandeur d'emploi").check()
    page.get_by_label("Votre âge (facultatif)").fill("20")
    page.get_by_role("button", name="Voir mon conseiller").click()

    expect(page).to_have_url(re.compile(r"/trouver-mon-conseiller/resultat/\?.*age=20"))
    primary = page.locator(".routing-primary")
    expect(primary.get_by_role("heading", level=3).first).to_have_text(
        "ARML Île-de-France (Missions locales)"
    )
    expect(primary).to_contain_text(
        "les Missions locales (ARML Île-de-France) accompagnent les jeunes"
    )
    expect(primary).to_contain_text(re.compile(r"Accueil Paris 1\de \(démonstration\)"))
    expect(page.get_by_role("heading", name="Vous pouvez aussi choisir")).to_be_visible()
    expect(page.get_by_role("heading", name="France Travail")).to_be_visible()  # 2024 on
    expect(page.get_by_role("heading", name="Le choix vous appartient")).to_be_visible()
    share = page.get_by_label(re.compile("Lien à garder ou partager"))
    expect(share).to_have_value(re.compile(r"department=75&status=job_seeker&age=20"))
    assert_accessible(page)

    phone = primary.get_by_role("link", name=re.compile(r"^01 99 00"))
    expect(phone.first).to_have_attribute("href", re.compile(r"^tel:"))
    primary.get_by_role("link", name="Fiche d'ARML Île-de-France (Missions locales)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "ARML Île-de-France (Missions locales)"
    )


def test_the_shared_link_works_on_a_phone_without_javascript(site, browser, assert_accessible):
    context = browser.new_context(
        locale="fr-FR",
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        java_script_enabled=False,
    )
    page = context.new_page()
    page.goto(
        site.url
        + "/trouver-mon-conseiller/resultat/?department=93&status=employed_private&disability=oui"
    )
    expect(page.locator(".routing-primary h3").first).to_have_text(
        "Cheops Île-de-France (Cap emploi)"
    )
    page.get_by_role("link", name="Modifier mes réponses").click()
    expect(
        page.get_by_label("J'ai une reconnaissance de handicap (RQTH ou équivalent)")
    ).to_be_checked()
    page.get_by_label("J'ai une reconnaissance de handicap (RQTH ou équivalent)").uncheck()
    page.get_by_role("button", name="Voir mon conseiller").click()
    expect(page.locator(".routing-primary h3").first).to_have_text(
        "Opérateur régional CEP des actifs occupés"
    )
    context.close()


def test_the_counsellor_sees_the_rule_and_the_coordinator_who_does_what(
    site, page, sign_in, assert_accessible
):
    sign_in(page, site.url, "coordination@region-idf.demo")
    page.goto(site.url + "/espace/aiguillage/")
    expect(page.get_by_role("group", name="Où habite la personne ?")).to_be_visible()
    page.get_by_label("Département où habite la personne").select_option("92")
    page.get_by_label("Salarié(e) du secteur privé").check()
    page.get_by_label("Son employeur (facultatif)").select_option("sncf")
    page.get_by_label("Date de la décision (facultatif, par défaut aujourd'hui)").fill("2019-10-01")
    page.get_by_role("button", name="Voir l'opérateur compétent").click()
    expect(page.locator(".routing-primary")).to_contain_text("Règle R6b")
    expect(page.locator(".routing-primary h3").first).to_have_text("Unagecif")
    assert_accessible(page)

    page.goto(site.url + "/espace/aiguillage/qui-fait-quoi/?date=2020-01-01")
    expect(page.get_by_role("heading", level=1)).to_have_text("Qui fait quoi, à quelle date")
    expect(page.locator(".routing-row", has_text="Fongecif Île-de-France")).to_contain_text("R6z")
    assert_accessible(page)
    page.goto(site.url + "/espace/aiguillage/regles/R3/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Modifier la règle R3")
    assert_accessible(page)


def test_the_result_fits_a_phone_screen(site, phone_page, assert_accessible):
    phone_page.goto(
        site.url + "/trouver-mon-conseiller/resultat/?department=94&status=job_seeker&age=19"
    )
    expect(phone_page.locator(".routing-primary h3").first).to_have_text(
        "ARML Île-de-France (Missions locales)"
    )
    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    assert_accessible(phone_page)
    phone_page.goto(site.url + "/trouver-mon-conseiller/")
    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    assert_accessible(phone_page)
