"""Downloadable files built by the worker, and the coordinators' import page."""

import json
from html import unescape

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from maillage.jobs.schedule import periodic_tasks
from maillage.partners import datainclusion, exports
from maillage.partners import demo as partners_demo
from maillage.partners.models import ServiceOffer
from maillage.partners.tasks import directory_export
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(reference, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path
    # The configured storage, whatever it is (here one with no disk at all, as S3).
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    partners_demo.build()


def _read(name):
    with exports.file_open(name) as handle:
        return json.loads(handle.read())


def test_the_export_is_a_periodic_task_run_by_the_worker(directory, run_worker, client):
    assert directory_export in periodic_tasks()
    call_command("tick")
    run_worker()
    manifest = _read("manifest.json")
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
    services = _read("data-inclusion-services.json")
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
    folder = directory_export.call()["folder"]
    manifest = _read("manifest.json")
    manifest["built_at"] = "2020-01-01T03:00:00+00:00"
    default_storage.delete(f"{folder}/manifest.json")
    default_storage.save(f"{folder}/manifest.json", ContentFile(json.dumps(manifest)))
    assert directory_export.call()["written"] == 6
    assert _read("manifest.json")["built_at"][:4] != "2020"


def test_the_files_live_in_the_configured_storage_for_every_app_server(
    directory, client, settings, tmp_path
):
    """Built by a worker into the shared storage, nothing on the builder's own disk; each build
    in a folder of its own, the previous one kept while a download may read it."""
    first = directory_export.call()
    offer = ServiceOffer.objects.first()
    offer.description += " Deuxième version."
    offer.save()
    second = directory_export.call()
    offer.description += " Troisième."
    offer.save()
    third = directory_export.call()
    assert not (tmp_path / "media").exists()
    for kept in (second, third):
        assert default_storage.exists(f"{kept['folder']}/manifest.json")
    assert not default_storage.exists(f"{first['folder']}/manifest.json")
    response = client.get("/annuaire/donnees/data-inclusion-services.json")
    services = json.loads(b"".join(response.streaming_content))
    assert any(s["description"].endswith("Troisième.") for s in services)
    # A build interrupted before its manifest: the page and the downloads keep the last whole one.
    default_storage.save("annuaire/29990101T000000000000Z/hsds-services.json", ContentFile(b"["))
    assert _read("manifest.json")["built_at"] == exports.manifest_read()["built_at"]
    assert client.get("/annuaire/donnees/hsds-services.json").status_code == 200
    assert json.loads(
        b"".join(client.get("/annuaire/donnees/hsds-services.json").streaming_content)
    )


def test_an_import_previewed_on_one_app_server_is_applied_from_another(
    directory, client, settings, tmp_path
):
    """« Appliquer » may reach another app server than the preview: the uploaded file waits in
    the shared storage, not on the first server's disk."""
    client.force_login(MembershipFactory(coordinator=True).user)
    offer = ServiceOffer.objects.filter(organisation__slug="apec").first()
    row = datainclusion.service_of(offer)
    row["description"] += " Depuis l'autre serveur."
    upload = SimpleUploadedFile("services.json", json.dumps([row], default=str).encode())
    token = client.post("/espace/organisations/import/", {"file": upload}).context["token"]
    assert not (tmp_path / "imports").exists()
    settings.VAR_DIR = tmp_path / "autre-serveur"  # another machine, its own disk
    response = client.post("/espace/organisations/import/", {"token": token, "apply": "on"})
    assert "Import appliqué" in unescape(response.content.decode())
    offer.refresh_from_db()
    assert offer.description.endswith("Depuis l'autre serveur.")
    # Applied once: the kept file is gone, a second « Appliquer » asks for the file again.
    response = client.post(
        "/espace/organisations/import/", {"token": token, "apply": "on"}, follow=True
    )
    assert "Ce fichier n'est plus disponible" in unescape(response.content.decode())
