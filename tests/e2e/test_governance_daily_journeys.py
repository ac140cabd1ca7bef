"""Governance, day to day: minutes written item by item with a diff between two revisions, and
a future meeting's "tenue" address that explains instead of answering a blank 405."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.governance_pages import SECRETARY, schedule_meeting


def _add_item(page, title):
    page.get_by_text("Ajouter un point à l'ordre du jour").click()
    page.get_by_label("Intitulé du point").fill(title)
    page.get_by_role("button", name="Ajouter le point").click()
    expect(page.locator(".messages")).to_contain_text(f"Point ajouté : « {title} »")


def _item_text(page, title):
    return page.locator("section.minutes-item", has_text=title).get_by_role("textbox")


def test_minutes_by_item_then_the_diff_between_two_revisions(
    demo_site, page, sign_in, assert_accessible
):
    base_url = demo_site.url
    sign_in(page, base_url, SECRETARY)
    next_week = timezone.localdate() + timedelta(7)
    schedule_meeting(page, base_url, "Comité technique de rentrée", next_week)
    meeting_url = page.url
    _add_item(page, "Bilan des rencontres croisées")
    _add_item(page, "Charte commune d'accueil")

    # First revision: one text per agenda item, and general notes.
    page.get_by_role("link", name="Rédiger le compte rendu").click()
    expect(
        page.get_by_role("heading", name=re.compile("Bilan des rencontres croisées"))
    ).to_be_visible()
    assert_accessible(page)
    _item_text(page, "Bilan des rencontres croisées").fill("Six rencontres ont eu lieu.")
    _item_text(page, "Charte commune d'accueil").fill("La charte est présentée.")
    page.get_by_label("Notes générales").fill("Ouverture par la présidence.")
    page.get_by_role("button", name="Enregistrer le compte rendu").click()
    expect(page.locator(".messages")).to_contain_text("version 1")

    # Second revision: one item rewritten.
    _item_text(page, "Charte commune d'accueil").fill("La charte est adoptée par les partenaires.")
    page.get_by_role("button", name="Enregistrer le compte rendu").click()
    expect(page.locator(".messages")).to_contain_text("version 2")

    # The history compares them; every change is labelled in words, not colour only.
    page.get_by_role("link", name="Historique des versions").click()
    assert_accessible(page)
    page.get_by_role("button", name="Comparer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Version 1 comparée à la version 2")
    removed = page.locator(".minutes-diff del")
    added = page.locator(".minutes-diff ins")
    expect(removed).to_have_count(1)
    expect(removed).to_have_text("Retiré : La charte est présentée.")
    expect(added).to_have_count(1)
    expect(added).to_have_text("Ajouté : La charte est adoptée par les partenaires.")
    expect(page.locator(".diff-summary")).to_have_text("1 ligne ajoutée, 1 ligne retirée.")
    expect(page.locator(".minutes-diff")).to_contain_text("Six rencontres ont eu lieu.")
    assert_accessible(page)

    # This meeting is still ahead: "tenue" explains when it becomes possible.
    page.goto(meeting_url)
    expect(page.get_by_text("« Marquer comme tenue » sera possible")).to_be_visible()
    response = page.goto(f"{meeting_url}tenue/")
    assert response.status == 200
    expect(page.get_by_role("status")).to_contain_text("n'a pas encore eu lieu")
    assert_accessible(page)
