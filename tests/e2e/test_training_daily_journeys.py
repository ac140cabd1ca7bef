"""Cross-training, day to day: a certificate verified on its public page by anyone holding
it, and a published session edited by its host."""

import re

from playwright.sync_api import expect

from maillage.training import certificates
from maillage.training.models import Certificate

SESSION = "Le marché de l'emploi en Seine-Saint-Denis"
COUNSELLOR = "conseiller@cheops-idf.demo"
HOST = "responsable@afdas.demo"


def _attend(demo_site, browser, page, sign_in):
    """The counsellor enrols, the host checks them in: the certificate can be downloaded."""
    sign_in(page, demo_site.url, COUNSELLOR)
    page.goto(f"{demo_site.url}/espace/formations/")
    page.get_by_role("link", name=SESSION).click()
    page.get_by_role("button", name="M'inscrire").click()
    expect(page.locator(".enrolment-status")).to_contain_text("votre place est confirmée")
    session_url = page.url
    host = browser.new_context(locale="fr-FR")
    host_page = host.new_page()
    sign_in(host_page, demo_site.url, HOST)
    host_page.goto(session_url)
    host_page.get_by_role("link", name="Pointage des participants").click()
    host_page.get_by_role("button", name=re.compile(r"^Présent : Camille Conseil Cheops")).click()
    expect(host_page.locator(".message-success")).to_contain_text("Camille Conseil Cheops")
    host.close()
    page.reload()
    return session_url


def test_a_certificate_is_verified_on_its_public_page(
    demo_site, browser, page, sign_in, assert_accessible
):
    _attend(demo_site, browser, page, sign_in)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger mon attestation de présence (PDF)").click()
    assert download_info.value.suggested_filename.endswith(".pdf")
    certificate = Certificate.objects.select_related("registration").get()
    # The page of the session now shows the verification link too.
    page.reload()
    expect(page.locator(".certificate-link")).to_contain_text(f"/attestations/{certificate.token}/")

    # Anyone holding the certificate (an employer, a funder) opens the link, signed out.
    visitor = browser.new_context(locale="fr-FR")
    public = visitor.new_page()
    public.goto(f"{demo_site.url}/attestations/{certificate.token}/")
    expect(public.get_by_role("heading", level=1)).to_have_text("Attestation de présence vérifiée")
    registration = certificate.registration
    initials = certificates.initials(registration.first_name, registration.last_name)
    expect(public.locator(".certificate-initials")).to_have_text(initials)
    expect(public.locator(".certificate-title")).to_have_text(SESSION)
    expect(public.locator(".certificate-hours")).to_contain_text("heure(s)")
    assert registration.last_name not in public.content()
    assert registration.email not in public.content()
    assert_accessible(public)

    # A mistyped link is a French 404, not a confirmation.
    response = public.goto(f"{demo_site.url}/attestations/{certificate.token[:-3]}xyz/")
    assert response.status == 404
    expect(public.get_by_role("heading", level=1)).to_have_text("Cette attestation est introuvable")
    assert_accessible(public)
    visitor.close()


def test_a_host_edits_a_published_session(demo_site, page, sign_in, assert_accessible):
    sign_in(page, demo_site.url, HOST)
    page.goto(f"{demo_site.url}/espace/formations/")
    page.get_by_role("link", name=SESSION).click()
    page.get_by_role("link", name="Modifier la session").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Modifier la session")
    assert_accessible(page)
    page.get_by_label(re.compile(r"^Lieu\s*:?$")).fill("Salle Seine, Bobigny")
    page.get_by_role("button", name="Enregistrer les modifications").click()
    expect(page.locator(".message-success")).to_contain_text("Session modifiée")
    expect(page.locator("dl.facts")).to_contain_text("Salle Seine, Bobigny")
    assert_accessible(page)
