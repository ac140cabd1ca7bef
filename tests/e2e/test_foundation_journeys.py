"""Foundation journeys: the public discovers the partnership; a counsellor signs in."""

import re

from playwright.sync_api import expect


def test_visitor_goes_from_home_to_directory_to_an_operator(demo_site, page, assert_accessible):
    page.goto(demo_site.url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Maillage")
    signatories = page.locator("ul.signatories li")
    expect(signatories).to_have_count(8)
    assert_accessible(page)

    page.get_by_role("link", name="Consulter l'annuaire des opérateurs").click()
    expect(page).to_have_url(re.compile(r"/annuaire/$"))
    assert page.locator("ul.cards > li").count() == 17
    assert_accessible(page)

    page.get_by_label("Public").select_option("jeunes")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator("ul.cards > li")).to_have_count(1)
    page.get_by_role("link", name="ARML Île-de-France (Missions locales)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "ARML Île-de-France (Missions locales)"
    )
    expect(page.get_by_text("Jeunes de 16 à 25 ans.").first).to_be_visible()
    expect(page.get_by_text("démonstration").first).to_be_visible()
    assert_accessible(page)


def test_counsellor_signs_in_and_sees_their_organisation(demo_site, page, sign_in):
    sign_in(page, demo_site.url, "conseiller@cheops-idf.demo")
    expect(page.locator(".context-bar")).to_contain_text("Cheops Île-de-France (Cap emploi)")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")


def test_a_member_of_two_operators_switches_organisation(demo_site, page, sign_in):
    sign_in(page, demo_site.url, "conseiller.multi@partenaires.demo")
    page.get_by_label("Changer d'organisation").select_option(
        label="Uniformation Île-de-France (Conseiller ou conseillère)"
    )
    page.get_by_role("button", name="Changer").click()
    expect(page.locator(".context-bar strong")).to_have_text("Uniformation Île-de-France")


def test_public_pages_work_on_a_phone_without_javascript(browser, demo_site):
    context = browser.new_context(
        locale="fr-FR", viewport={"width": 360, "height": 740}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(demo_site.url + "/annuaire/?department=93")
    assert page.locator("ul.cards > li").count() >= 10
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"la page déborde horizontalement ({width}px)"
    context.close()
