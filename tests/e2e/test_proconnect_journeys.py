"""Browser journeys with a real OpenID provider (oidc-provider configured like ProConnect), and
the person's own page: axe-core, no JavaScript, 360 px."""

import re

import pytest
from playwright.sync_api import expect

from maillage.core.models import OutgoingEmail
from maillage.proconnect import client as oidc
from maillage.referrals.enums import Status
from maillage.referrals.models import Referral
from tests.factories import MembershipFactory
from tests.oidc_provider.harness import CLIENT_ID, CLIENT_SECRET, OpenIDProvider
from tests.referrals import factories

PORT = 8717  # the unit tests' providers use 8701–8716


@pytest.fixture
def op(live_server, transactional_db, settings, tmp_path):
    provider = OpenIDProvider(
        port=PORT,
        accounts_file=tmp_path / "accounts.json",
        redirect_uris=[f"{live_server.url}/proconnect/retour/"],
        logout_uris=[f"{live_server.url}/proconnect/deconnecte/"],
    ).start()
    settings.PROCONNECT_ISSUER = provider.issuer
    settings.PROCONNECT_CLIENT_ID = CLIENT_ID
    settings.PROCONNECT_CLIENT_SECRET = CLIENT_SECRET
    oidc._client.cache_clear()
    yield provider
    provider.stop()
    oidc._client.cache_clear()


@pytest.fixture
def small_page(browser):
    """360 px wide, JavaScript off: the pages must work as plain HTML."""
    context = browser.new_context(
        locale="fr-FR", viewport={"width": 360, "height": 740}, java_script_enabled=False
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def _fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} déborde horizontalement ({width}px)"


def _proconnect(page, email):
    page.get_by_role("button", name="S'identifier avec ProConnect").click()
    page.get_by_label("Adresse e-mail professionnelle").fill(email)
    page.get_by_role("button", name="Continuer avec ProConnect").click()


def test_the_sign_in_page_with_proconnect_is_accessible(op, live_server, page, assert_accessible):
    page.goto(f"{live_server.url}/connexion/")
    expect(page.get_by_role("button", name="S'identifier avec ProConnect")).to_be_visible()
    expect(page.get_by_label("Mot de passe")).to_be_visible()
    assert_accessible(page)


def test_sign_in_first_and_second_time_and_sign_out_of_both(op, live_server, small_page):
    base = live_server.url
    member = MembershipFactory(user__email="marie@afdas.test")
    op.add_account("sub-marie", email="marie@afdas.test", given_name="Marie", usual_name="Curie")
    page = small_page
    page.goto(f"{base}/connexion/")
    _fits(page)
    _proconnect(page, "marie@afdas.test")
    page.wait_for_url(f"{base}/espace/")
    expect(page.locator(".context-bar")).to_contain_text(member.organisation.name)
    expect(page.locator(".context-bar")).to_contain_text("Marie Curie")
    _fits(page)

    page.get_by_role("button", name="Se déconnecter").click()
    # ProConnect asks to confirm (its own page), then sends us back.
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(f"{base}/")
    expect(page.get_by_text("Vous êtes déconnecté de Maillage et de ProConnect.")).to_be_visible()
    page.goto(f"{base}/espace/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Connexion")

    # Second time: ProConnect asks again (its session ended), Maillage knows the person.
    page.goto(f"{base}/connexion/")
    _proconnect(page, "marie@afdas.test")
    page.wait_for_url(f"{base}/espace/")
    expect(page.locator(".context-bar")).to_contain_text(member.organisation.name)


def test_a_tampered_state_is_refused_in_french(op, live_server, page):
    base = live_server.url
    op.add_account("sub-t", email="t@x.test")
    page.goto(f"{base}/connexion/")
    page.get_by_role("button", name="S'identifier avec ProConnect").click()
    expect(page.get_by_label("Adresse e-mail professionnelle")).to_be_visible()
    page.goto(f"{base}/proconnect/retour/?code=faux&state=falsifie")
    page.wait_for_url(f"{base}/connexion/")
    expect(page.get_by_text(re.compile("paramètre « state » invalide"))).to_be_visible()
    page.goto(f"{base}/espace/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Connexion")


@pytest.fixture
def person_path(live_server, transactional_db):
    sender = MembershipFactory(user__email="a@pole.test")
    receiver = MembershipFactory(user__email="b@cap.test")
    referral = factories.send(sender, receiver, email="lea@exemple.fr", first_name="Léa")
    body = OutgoingEmail.objects.get(to=["lea@exemple.fr"]).body
    url = re.search(r"https?://\S+/mon-orientation/\S+/", body)[0]
    return referral, "/mon-orientation/" + url.split("/mon-orientation/")[1]


def test_the_person_page_is_accessible(live_server, person_path, page, assert_accessible):
    _referral, path = person_path
    page.goto(f"{live_server.url}{path}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mon orientation")
    assert_accessible(page)


def test_the_person_withdraws_consent_without_javascript_at_360px(
    live_server, person_path, small_page
):
    referral, path = person_path
    page = small_page
    page.goto(f"{live_server.url}{path}")
    _fits(page)
    expect(page.locator(".person-steps")).to_contain_text("Envoyée à")
    page.get_by_label("Je retire mon consentement à cette orientation").check()
    page.get_by_role("button", name="Retirer mon consentement").click()
    expect(page.get_by_text("Votre consentement est retiré")).to_be_visible()
    expect(page.locator(".person-steps")).to_contain_text("vous avez retiré votre consentement")
    _fits(page)
    referral.refresh_from_db()
    assert referral.status == Status.CANCELLED
    assert Referral.objects.get(pk=referral.pk).transitions.last().reason == "consent_withdrawn"


def test_a_receiver_without_account_accepts_and_closes_from_the_email_link(
    live_server, transactional_db, small_page
):
    sender = MembershipFactory(user__email="a@pole.test")
    receiver = MembershipFactory(user__email="b@cap.test")
    referral = factories.send(sender, receiver, first_name="Nadia")
    body = OutgoingEmail.objects.get(to=["b@cap.test"], subject__contains="Nouvelle").body
    url = re.search(r"https?://\S+/orientations/\d+/lien/\S+/", body)[0]
    page = small_page
    page.goto(f"{live_server.url}/orientations/" + url.split("/orientations/")[1])
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nadia")
    expect(page.get_by_text("Gagnez du temps la prochaine fois")).to_be_visible()
    _fits(page)
    page.get_by_role("button", name="Accepter l'orientation").click()
    expect(page.locator(".referral-status")).to_contain_text("Acceptée")
    page.get_by_label("Date du premier rendez-vous").fill("2030-03-02")
    page.get_by_role("button", name="Enregistrer le rendez-vous").click()
    page.get_by_label("Résultat").select_option("project_defined")
    page.get_by_role("button", name="Clôturer l'orientation").click()
    expect(page.locator(".referral-status")).to_contain_text("Clôturée")
    expect(page.locator(".referral-history")).to_contain_text("« par lien e-mail »")
    referral.refresh_from_db()
    assert referral.status == Status.CLOSED
