"""Downloadable files built by the worker, and the coordinators' import page."""

import json
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from maillage.jobs.schedule import periodic_tasks
from maillage.partners import datainclusion
from maillage.partners import demo as partners_demo
from maillage.partners.exports import export_dir
from maillage.partners.models import ServiceOffer
from maillage.partners.tasks import directory_export
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(reference, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path
    partners_demo.build()


def test_the_export_is_a_periodic_task_run_by_the_worker(directory, run_worker, client):
    assert directory_export in periodic_tasks()
    call_command("tick")
    run_worker()
    manifest = json.loads((export_dir() / "manifest.json").read_text())
    assert manifest["licence"] == "etalab-2.0"
    names = {f["name"] for f in manifest["files"]}
    assert "data-inclusion-services.json" in names and "hsds-locations.json" in names
    page = unescape(client.get("/annuaire/donnees/").content.decode())
    assert "Licence Ouverte" in page and "data·inclusion — services" in page
    response = client.get("/annuaire/donnees/data-inclusion-services.json")
    services = json.loads(b"".join(response.streaming_content))
    assert (
        len(services)
        == ServiceOffer.objects.filter(is_active=True, organisation__is_active=True).count()
    )
    assert client.get("/annuaire/donnees/settings.py").status_code == 404


def test_the_task_rewrites_the_files_only_when_the_directory_changed(directory):
    assert directory_export.call()["written"] == 7 - 1  # six data files
    assert directory_export.call() == {"written": 0}
    offer = ServiceOffer.objects.first()
    offer.description += " Modifié."
    offer.save()
    assert directory_export.call()["written"] == 6
    services = json.loads((export_dir() / "data-inclusion-services.json").read_text())
    assert any(s["description"].endswith("Modifié.") for s in services)


def test_the_coordinator_previews_then_applies_an_import(directory, client):
    coordinator = MembershipFactory(coordinator=True)
    client.force_login(coordinator.user)
    offer = ServiceOffer.objects.filter(organisation__slug="apec").first()
    row = datainclusion.service_of(offer)
    row["description"] += " Précision importée."
    broken = dict(row, id="autre--1", nom="")
    upload = SimpleUploadedFile("services.json", json.dumps([row, broken], default=str).encode())
    response = client.post("/espace/organisations/import/", {"file": upload})
    html = unescape(response.content.decode())
    assert "Aperçu (rien n'est enregistré) : 0 créé(s), 1 mis à jour" in html
    assert "nom : texte trop court" in html
    offer.refresh_from_db()
    assert not offer.description.endswith("Précision importée.")
    token = response.context["token"]
    response = client.post("/espace/organisations/import/", {"token": token, "apply": "on"})
    offer.refresh_from_db()
    assert offer.description.endswith("Précision importée.")
    assert "Import appliqué" in unescape(response.content.decode())


def test_the_import_page_is_for_coordinators_only(directory, client):
    manager = MembershipFactory(manager=True)
    client.force_login(manager.user)
    assert client.get("/espace/organisations/import/").status_code == 403


def test_an_unreadable_upload_is_a_french_message(directory, client):
    client.force_login(MembershipFactory(coordinator=True).user)
    upload = SimpleUploadedFile("x.json", b"{pas du json")
    response = client.post("/espace/organisations/import/", {"file": upload})
    assert response.status_code == 200
    assert "Le JSON n'est pas valable" in unescape(response.content.decode())


def test_the_files_are_rebuilt_each_day_even_without_a_change(directory):
    directory_export.call()
    path = export_dir() / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["built_at"] = "2020-01-01T03:00:00+00:00"
    path.write_text(json.dumps(manifest))
    assert directory_export.call()["written"] == 6
    assert json.loads(path.read_text())["built_at"][:4] != "2020"
