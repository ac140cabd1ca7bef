"""Error pages in a browser: 404, 403, CSRF failure and 503 are French, in the layout and
accessible (axe-core)."""

from playwright.sync_api import expect

from tests.servers import maillage_serve

NOBODY_PORT = 8119  # no PostgreSQL there: the server below cannot reach its database


def _in_layout(page):
    expect(page.get_by_role("navigation", name="Navigation principale")).to_be_visible()
    expect(page.get_by_role("heading", name="Que faire ?")).to_be_visible()
    expect(page.get_by_role("link", name="Revenir à l'accueil de Maillage")).to_be_visible()


def test_unknown_address_shows_the_french_404(demo_site, page, assert_accessible):
    response = page.goto(demo_site.url + "/evenements/pas-un-evenement/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Cette page est introuvable")
    _in_layout(page)
    assert_accessible(page)


def test_counsellor_on_a_coordinator_page_sees_why_in_french(
    demo_site, page, sign_in, assert_accessible
):
    sign_in(page, demo_site.url, "conseiller@afdas.demo")
    response = page.goto(demo_site.url + "/espace/aiguillage/regles/nouvelle/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Vous n'avez pas accès à cette page")
    expect(page.get_by_text("Votre rôle ne permet pas d'ouvrir cette page.")).to_be_visible()
    expect(page.locator(".context-bar")).to_contain_text("Afdas")  # still signed in
    _in_layout(page)
    assert_accessible(page)
    page.get_by_role("link", name="Retourner à votre espace").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")


def test_form_with_a_tampered_token_shows_the_french_csrf_page(demo_site, page, assert_accessible):
    page.goto(demo_site.url + "/connexion/")
    page.locator("input[name=csrfmiddlewaretoken]").evaluate("(el) => el.value = 'x'.repeat(64)")
    page.get_by_label("Adresse e-mail").fill("conseiller@afdas.demo")
    page.get_by_label("Mot de passe").fill("demo")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Se connecter").click()
    assert posted.value.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Le formulaire n'a pas pu être envoyé"
    )
    expect(page.get_by_text("Le jeton de sécurité du formulaire ne correspond pas")).to_be_visible()
    _in_layout(page)
    assert_accessible(page)


def test_without_its_database_the_site_shows_the_french_503(tmp_path, page, assert_accessible):
    database_url = f"postgres://postgres@127.0.0.1:{NOBODY_PORT}/maillage_absente"
    with maillage_serve(tmp_path, env={"DATABASE_URL": database_url}) as served:
        response = page.goto(served.url + "/evenements/")
        assert response.status == 503
        assert response.headers["retry-after"] == "30"
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Maillage est momentanément indisponible"
        )
        _in_layout(page)
        assert_accessible(page)
