"""Directory journeys: the finder ends with the nearest sites; a manager completes the record."""

import re

import pytest
from playwright.sync_api import expect

from maillage.routing import engine


@pytest.fixture
def site(demo_site):
    engine.invalidate()  # the demo data was just loaded: no compiled copy from another test
    return demo_site


def test_the_finder_with_a_commune_lists_the_nearest_sites(site, page, assert_accessible):
    page.goto(site.url + "/trouver-mon-conseiller/")
    page.get_by_label("Département où vous habitez").select_option("93")
    page.get_by_label("Votre commune ou code postal (facultatif)").fill("Saint-Denis")
    page.get_by_label("Demandeur d'emploi").check()
    page.get_by_label("Votre âge (facultatif)").fill("22")
    page.get_by_role("button", name="Voir mon conseiller").click()

    expect(page).to_have_url(re.compile(r"commune=Saint-Denis"))
    primary = page.locator(".routing-primary")
    expect(primary).to_contain_text("Les accueils les plus proches de Saint-Denis")
    expect(primary.locator(".routing-distance").first).to_have_text(re.compile(r"^à .*km$"))
    alternatives = page.locator("section[aria-labelledby=alternatives-titre] li.card")
    expect(alternatives.first).to_be_visible()
    for index in range(alternatives.count()):
        expect(alternatives.nth(index).locator(".routing-distance").first).to_be_visible()
    expect(primary).to_contain_text("du lundi au vendredi")
    assert_accessible(page)


def test_the_result_with_a_postcode_works_without_javascript_at_360px(
    site, browser, assert_accessible
):
    url = (
        site.url + "/trouver-mon-conseiller/resultat/?department=93&status=job_seeker"
        "&age=22&commune=93200"
    )
    for javascript in (False, True):
        context = browser.new_context(
            locale="fr-FR",
            viewport={"width": 360, "height": 740},
            is_mobile=True,
            java_script_enabled=javascript,
        )
        page = context.new_page()
        page.goto(url)
        primary = page.locator(".routing-primary")
        expect(primary).to_contain_text("Les accueils les plus proches de Saint-Denis")
        expect(primary.locator(".routing-distance").first).to_be_visible()
        if javascript:
            # Nothing wider than the screen, and axe-core clean (axe itself needs JavaScript).
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, width
            assert_accessible(page)
        context.close()


def test_a_manager_fills_a_missing_field_and_the_gauge_moves(
    site, page, sign_in, assert_accessible
):
    sign_in(page, site.url, "responsable@apec.demo")
    page.goto(site.url + "/espace/mon-organisation/")
    gauge = page.locator("#jauge-completude")
    before = int(gauge.get_attribute("value"))
    assert_accessible(page)
    page.get_by_label("SIRET").fill("13003013300016")
    page.get_by_role("button", name="Enregistrer la fiche").click()
    expect(page.locator("#jauge-completude")).not_to_have_attribute("value", str(before))
    assert int(page.locator("#jauge-completude").get_attribute("value")) > before
