"""Governance journey: the secretary runs a committee meeting end to end, and the next one
starts from what it left open."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from maillage.governance import pdf
from tests.e2e.governance_pages import SECRETARY, schedule_meeting


def _select_containing(page, label, text):
    """Choose the option of the select labelled `label` whose text contains `text`."""
    select = page.get_by_label(label)
    value = select.locator("option", has_text=text).first.get_attribute("value")
    select.select_option(value=value)


def _add_item(page, title, presenter="", minutes="", parent=None, carry_over=False):
    page.get_by_text("Ajouter un point à l'ordre du jour").click()
    page.get_by_label("Intitulé du point").fill(title)
    if parent:
        _select_containing(page, "Sous-point de", parent)
    if presenter:
        page.get_by_label("Présenté par").fill(presenter)
    if minutes:
        page.get_by_label("Durée (minutes)").fill(minutes)
    if carry_over:
        page.get_by_label("À reporter à la réunion suivante").check()
    page.get_by_role("button", name="Ajouter le point").click()
    expect(page.locator(".messages")).to_contain_text(f"Point ajouté : « {title} »")


def _add_action(page, title, owner, due):
    page.get_by_role("link", name="Ajouter une action").click()
    page.get_by_label("Intitulé de l'action").fill(title)
    page.get_by_label("Organisation responsable").select_option(label=owner)
    page.get_by_label("Échéance").fill(f"{due:%Y-%m-%d}")
    page.get_by_label("Décision liée").select_option(index=1)
    page.get_by_role("button", name="Ajouter l'action").click()
    expect(page.locator(".messages")).to_contain_text(f"Action ajoutée : « {title} »")


def test_secretary_runs_a_meeting_and_the_next_agenda_starts_from_it(
    demo_site, page, sign_in, assert_accessible
):
    base_url = demo_site.url
    today = timezone.localdate()
    first_day, next_day = today + timedelta(days=60), today + timedelta(days=90)
    sign_in(page, base_url, SECRETARY)

    # 1. Schedule: the agenda is pre-filled, the members are invited.
    schedule_meeting(page, base_url, "Comité technique de printemps", first_day)
    meeting_url = page.url
    agenda = page.locator("ol.agenda").first
    expect(agenda).to_contain_text("Approbation du compte rendu de la réunion du")
    assert_accessible(page)

    # 2. Build the agenda: items with presenter and duration, a sub-item, an item to carry over.
    _add_item(page, "Bilan des rencontres croisées", presenter="Uniformation", minutes="30")
    _add_item(page, "Rencontre de Cergy", parent="Bilan des rencontres croisées")
    _add_item(page, "Charte commune d'accueil", carry_over=True)
    bilan = page.locator(".agenda-item", has_text="Bilan des rencontres croisées").first
    expect(bilan).to_contain_text("Présenté par Uniformation · 30 min")
    number = bilan.locator(".agenda-number").first.inner_text().rstrip(".")
    expect(page.locator(".agenda.sub .agenda-item", has_text="Rencontre de Cergy")).to_contain_text(
        f"{number}.1."
    )

    # 3. Attendance: present, excused, represented.
    page.get_by_role("link", name="Saisir les présences").click()
    page.get_by_label("Présence de Dominique Responsable Afdas").select_option(
        label="Excusé ou excusée"
    )
    page.get_by_label("Présence de Dominique Responsable FAF.TT").select_option(
        label="Représenté ou représentée"
    )
    page.get_by_label("Dominique Responsable FAF.TT est représenté par").fill("Alex Suppléant")
    page.get_by_label("Présence de Claude Coordination").select_option(label="Présent ou présente")
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer les présences").click()
    expect(page.locator(".messages")).to_contain_text("Présences enregistrées")
    presence = page.locator("#presences").locator("..")
    expect(presence).to_contain_text("Représenté ou représentée par Alex Suppléant")

    # 4. Minutes, saved as a revision.
    page.get_by_role("link", name="Rédiger le compte rendu").click()
    page.get_by_label("Notes générales").fill(
        "Les partenaires présentent le bilan des rencontres croisées.\n"
        "La charte commune est reportée à la prochaine séance."
    )
    page.get_by_role("button", name="Enregistrer le compte rendu").click()
    expect(page.locator(".messages")).to_contain_text("version 1")
    assert_accessible(page)

    # 5. A decision linked to an agenda item (proposed: it is adopted once the meeting is
    # held), then two actions linked to it.
    page.goto(meeting_url)
    page.get_by_text("Enregistrer une décision").click()
    page.get_by_label("Intitulé de la décision").fill("Généraliser les rencontres croisées")
    page.get_by_label(re.compile(r"^État\s*:?$")).select_option(label="Proposée")
    _select_containing(page, "Point de l'ordre du jour", "Bilan des rencontres croisées")
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.locator(".messages")).to_contain_text(re.compile(r"Décision CTR-\d{4}-\d{2}"))
    _add_action(
        page,
        "Planifier six rencontres en 2027",
        "Uniformation Île-de-France",
        first_day + timedelta(days=20),
    )
    assert_accessible(page)
    _add_action(
        page,
        "Rédiger la fiche de liaison commune",
        "Cheops Île-de-France (Cap emploi)",
        first_day + timedelta(days=25),
    )
    actions = page.locator("#actions").locator("..")
    expect(actions).to_contain_text("Planifier six rencontres en 2027")
    expect(actions).to_contain_text("Rédiger la fiche de liaison commune")

    # 6. The minutes download: as a PDF where WeasyPrint works (the live server runs in this
    # process, so it sees the same libraries), else as a print-ready page with a French notice.
    if pdf.weasyprint_available():
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Compte rendu en PDF").click()
        download = download_info.value
        assert download.suggested_filename.startswith("compte-rendu-CTR-")
        assert download.suggested_filename.endswith(".pdf")
        with open(download.path(), "rb") as handle:
            assert handle.read(5) == b"%PDF-"
    else:
        page.get_by_role("link", name="Compte rendu en PDF").click()
        expect(page.get_by_text("L'export PDF n'est pas disponible sur ce serveur")).to_be_visible()
        expect(page.get_by_role("heading", level=1)).to_contain_text("compte rendu")
        expect(page.locator(".minutes-text")).to_contain_text("bilan des rencontres croisées")
        assert_accessible(page)
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Télécharger cette page").click()
        download = download_info.value
        assert download.suggested_filename.startswith("compte-rendu-CTR-")
        with open(download.path(), encoding="utf-8") as handle:
            content = handle.read()
        assert "Généraliser les rencontres croisées" in content and "Alex Suppléant" in content

    # 7. The next meeting's agenda starts with these minutes, the open actions, the carried item.
    schedule_meeting(page, base_url, "Comité technique d'été", next_day)
    items = page.locator("ol.agenda > li")
    expect(items.nth(0)).to_contain_text(
        f"Approbation du compte rendu de la réunion du {first_day:%d/%m/%Y}"
    )
    expect(items.nth(1)).to_contain_text("Suivi des actions en cours et en retard")
    expect(items.nth(1)).to_contain_text("Planifier six rencontres en 2027")
    expect(items.nth(1)).to_contain_text("Rédiger la fiche de liaison commune")
    expect(page.locator("ol.agenda > li", has_text="Charte commune d'accueil")).to_have_count(1)
    expect(page.locator("ol.agenda > li", has_text="Charte commune d'accueil")).to_contain_text(
        "Point reporté"
    )
    assert_accessible(page)

    # Approving the previous minutes from the new agenda freezes them.
    page.get_by_role("button", name=re.compile("Approuver le compte rendu du")).click()
    expect(page.locator(".messages")).to_contain_text("approuvé : il est désormais figé")


def test_a_counsellor_cannot_open_a_committee(demo_site, page, sign_in):
    sign_in(page, demo_site.url, "conseiller@afdas.demo")
    page.goto(f"{demo_site.url}/gouvernance/comites/comite-de-pilotage/")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Comité de pilotage")
    response = page.request.get(f"{demo_site.url}/gouvernance/comites/comite-de-pilotage/")
    assert response.status == 404


def test_a_member_reads_the_overdue_actions_on_a_phone(
    demo_site, phone_page, sign_in, assert_accessible
):
    sign_in(phone_page, demo_site.url, "responsable@arml-idf.demo")
    phone_page.goto(f"{demo_site.url}/gouvernance/actions/?status=overdue")
    expect(phone_page.locator("#retard-par-responsable").locator("..")).to_contain_text(
        "ARML Île-de-France (Missions locales) (1)"
    )
    assert_accessible(phone_page)
