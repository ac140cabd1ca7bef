"""Daily referral journey: A sends a referral with a CV, B downloads it and refuses, A redirects
the person elsewhere in one click — the form prefilled, the CV carried over, the consent asked
again for the new operator. axe-core checks every page crossed."""

import re
from pathlib import Path

import pytest
from django.core.files.storage import storages
from playwright.sync_api import expect

from maillage.referrals.models import Attachment, Referral

A = "conseiller@pole-emploi.demo"
B = "conseiller@cheops-idf.demo"
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def attachments_root(tmp_path, settings, monkeypatch):
    root = tmp_path / "attachments"
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root), "base_url": None},
        },
    }
    monkeypatch.setattr(Attachment._meta.get_field("file"), "storage", storages["attachments"])
    return root


def _sign_out(page):
    page.get_by_role("button", name="Se déconnecter").click()


def test_refused_then_redirected_elsewhere_with_the_cv(
    demo_site, page, sign_in, assert_accessible, attachments_root, tmp_path
):
    base = demo_site.url
    cv = tmp_path / "cv-nadia.pdf"
    cv.write_bytes(PDF)

    # A sends the referral with the CV.
    sign_in(page, base, A)
    page.goto(f"{base}/orientations/nouvelle/?department=93&status=job_seeker&to=cheops-idf")
    page.get_by_label("Prénom").fill("Nadia")
    page.locator("#id_last_name").fill("Quotidien")
    page.get_by_label("E-mail").fill("nadia.quotidien@exemple.demo")
    page.get_by_label("Besoin de la personne").fill("Reprendre un emploi après un arrêt long.")
    page.get_by_label("Joindre des documents").set_input_files(str(cv))
    page.get_by_label("La personne accepte d'être orientée").check()
    page.get_by_label("En personne").check()
    assert_accessible(page)
    page.get_by_role("button", name="Envoyer l'orientation").click()
    expect(page.get_by_text("Orientation envoyée à Cheops")).to_be_visible()
    first_url = page.url
    expect(page.get_by_role("link", name="cv-nadia.pdf")).to_be_visible()
    _sign_out(page)

    # B downloads the CV, then refuses the referral.
    sign_in(page, base, B)
    page.goto(first_url)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="cv-nadia.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "cv-nadia.pdf"
    assert Path(download.path()).read_bytes() == PDF
    assert_accessible(page)
    page.get_by_text("Refuser", exact=True).click()
    page.get_by_label("Motif du refus").select_option("outside_public")
    page.get_by_role("button", name="Refuser l'orientation").click()
    expect(page.locator(".referral-status")).to_contain_text("Refusée")
    _sign_out(page)

    # A redirects the person elsewhere in one click.
    sign_in(page, base, A)
    page.goto(first_url)
    expect(page.get_by_role("heading", name="Orienter ailleurs")).to_be_visible()
    assert_accessible(page)
    target = page.get_by_label("Nouvel opérateur")
    target.select_option(index=0)
    new_operator = target.locator("option:checked").inner_text()
    page.get_by_role("button", name="Orienter ailleurs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Orienter ailleurs")
    expect(page.get_by_label("Prénom")).to_have_value("Nadia")
    expect(page.locator("#id_last_name")).to_have_value("Quotidien")
    expect(page.get_by_label("Besoin de la personne")).to_have_value(
        "Reprendre un emploi après un arrêt long."
    )
    consent = page.get_by_label(f"La personne accepte d'être orientée vers {new_operator}")
    expect(consent).not_to_be_checked()
    expect(page.get_by_label("cv-nadia.pdf")).to_be_checked()
    assert_accessible(page)
    # Without the new consent, nothing is sent.
    page.get_by_role("button", name="Envoyer l'orientation").click()
    expect(page.get_by_text("Sans le consentement de la personne").first).to_be_visible()
    page.get_by_label(f"La personne accepte d'être orientée vers {new_operator}").check()
    page.get_by_label("Par téléphone").check()
    page.get_by_role("button", name="Envoyer l'orientation").click()
    expect(page.get_by_text(f"Orientation envoyée à {new_operator}")).to_be_visible()
    first_number = re.search(r"/orientations/(\d+)/", first_url).group(1)
    expect(page.get_by_role("link", name=f"orientation n° {first_number}")).to_be_visible()
    expect(page.get_by_role("link", name="cv-nadia.pdf")).to_be_visible()
    assert_accessible(page)
    new = Referral.objects.get(previous_id=int(first_number))
    assert new.attachments.get().name == "cv-nadia.pdf"
    page.goto(first_url)
    expect(page.get_by_role("link", name=f"orientation n° {new.pk}")).to_be_visible()
