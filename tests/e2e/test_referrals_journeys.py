"""Referral journeys: A routes and sends, B receives, accepts, records the appointment and closes;
A follows every step up to the outcome. axe-core checks the inbox and referral pages."""

import re

from playwright.sync_api import expect

A = "conseiller@pole-emploi.demo"
B = "conseiller@cheops-idf.demo"


def _sign_out(page):
    page.get_by_role("button", name="Se déconnecter").click()


def test_closed_loop_from_routing_to_outcome(demo_site, page, sign_in, assert_accessible):
    base = demo_site.url
    # A routes the person (job seeker with a recognised disability, Seine-Saint-Denis).
    sign_in(page, base, A)
    page.goto(f"{base}/espace/aiguillage/?department=93&status=job_seeker&disability=oui")
    page.get_by_role("link", name=re.compile(r"^Orienter vers Cheops")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Orienter une personne")
    expect(page.get_by_label("Opérateur destinataire")).to_have_value("cheops-idf")
    expect(page.get_by_text("Opérateur compétent")).to_be_visible()
    assert_accessible(page)

    # No consent, no referral.
    page.get_by_label("Prénom").fill("Samia")
    page.locator("#id_last_name").fill("Parcours")
    page.get_by_label("E-mail").fill("samia.parcours@exemple.demo")
    page.get_by_label("Besoin de la personne").fill("Retrouver un emploi adapté à sa santé.")
    page.get_by_role("button", name="Envoyer l'orientation").click()
    expect(page.get_by_text("Sans le consentement de la personne").first).to_be_visible()
    page.get_by_label("La personne accepte d'être orientée").check()
    page.get_by_label("En personne").check()
    page.get_by_role("button", name="Envoyer l'orientation").click()
    expect(page.get_by_text("Orientation envoyée à Cheops")).to_be_visible()
    url = page.url
    expect(page.locator(".referral-status")).to_contain_text("Envoyée")
    assert_accessible(page)
    _sign_out(page)

    # B finds it in the inbox, opens, accepts, records the appointment, closes.
    sign_in(page, base, B)
    page.goto(f"{base}/orientations/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Orientations reçues")
    page.get_by_label("Nom de la personne").fill("parcours")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator("table.referrals tbody tr")).to_have_count(1)
    assert_accessible(page)
    page.get_by_role("link", name="Samia Parcours").click()
    expect(page.locator(".referral-status")).to_contain_text("Reçue")
    assert_accessible(page)
    page.get_by_role("button", name="Accepter l'orientation").click()
    expect(page.locator(".referral-status")).to_contain_text("Acceptée")
    page.get_by_label("Date du premier rendez-vous").fill("2030-03-02")
    page.get_by_role("button", name="Enregistrer le rendez-vous").click()
    expect(page.locator(".referral-status")).to_contain_text("En cours d'accompagnement")
    page.get_by_label("Votre message").fill("Dossier RQTH à vérifier.")
    page.get_by_label("Note interne").check()
    page.get_by_role("button", name="Publier").click()
    page.get_by_label("Résultat").select_option("job_found_or_kept")
    page.get_by_role("button", name="Clôturer l'orientation").click()
    expect(page.locator(".referral-status")).to_contain_text("Clôturée")
    assert_accessible(page)
    _sign_out(page)

    # A sees every step with its date, and the outcome — but not B's internal note.
    sign_in(page, base, A)
    page.goto(url)
    history = page.locator("ol.referral-history")
    for step in ("Envoyée", "Reçue", "Acceptée", "En cours d'accompagnement", "Clôturée"):
        expect(history).to_contain_text(step)
    expect(page.get_by_text("Premier rendez-vous : 2 mars 2030")).to_be_visible()
    expect(page.get_by_text("Résultat : Emploi trouvé ou conservé")).to_be_visible()
    expect(page.get_by_text("Dossier RQTH à vérifier.")).to_have_count(0)
    page.goto(f"{base}/orientations/?box=sent")
    expect(page.get_by_role("row", name=re.compile("Samia Parcours"))).to_contain_text("Clôturée")
    assert_accessible(page)


def test_a_referral_of_another_operator_is_not_found(demo_site, page, sign_in):
    sign_in(page, demo_site.url, "conseiller@afdas.demo")
    page.goto(demo_site.url + "/orientations/?box=received")
    expect(page.get_by_role("heading", level=1)).to_have_text("Orientations reçues")
    response = page.goto(demo_site.url + "/orientations/1/")
    assert response.status == 404 or page.get_by_text("Orientation n° 1").count() == 0
