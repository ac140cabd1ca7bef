"""Import of data·inclusion files: round trip, dry run by default, broken rows in French."""

import json

import pytest
from django.core.management import call_command

from maillage.core.models import AuditEntry
from maillage.partners import datainclusion
from maillage.partners import demo as partners_demo
from maillage.partners.importer import directory_import
from maillage.partners.models import Organisation, ServiceOffer, Site

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(reference):
    partners_demo.build()


def _export():
    return {"structures": datainclusion.structures_all(), "services": datainclusion.services_all()}


def _state():
    return (
        sorted((str(o.public_id), o.updated_at) for o in Organisation.objects.all()),
        sorted((str(s.public_id), s.updated_at) for s in Site.objects.all()),
        sorted(
            (str(o.public_id), o.updated_at, tuple(sorted(o.sites.values_list("pk", flat=True))))
            for o in ServiceOffer.objects.all()
        ),
    )


def test_exporting_then_importing_the_demo_changes_nothing(directory):
    before, exported = _state(), _export()
    report = directory_import(actor=None, content=json.dumps(exported, default=str), apply=True)
    assert report.count("refused") == 0, report.lines_fr()
    assert (
        report.count("unchanged")
        == len(report.rows)
        == (len(exported["structures"]) + len(exported["services"]))
    )
    assert _state() == before
    assert _export() == exported


def _broken_file():
    exported = _export()
    offer = ServiceOffer.objects.get(
        organisation__slug="apec",
        title__startswith="Conseil en évolution professionnelle des cadres",
    )
    good = next(s for s in exported["services"] if s["id"] == f"maillage--{offer.public_id}")
    good["description"] = good["description"] + " Nouvelle précision."
    no_name = dict(good, id="maillage--00000000-0000-0000-0000-000000000000", nom="")
    future = dict(good, id="autre--1", structure_id="autre--x", date_maj="2999-01-01")
    bad_public = dict(good, id="autre--2", publics=["inconnus"])
    return offer, {"structures": [], "services": [good, no_name, future, bad_public]}


def test_a_dry_run_writes_nothing_and_reports_each_broken_row_in_french(directory):
    _offer, data = _broken_file()
    before = _state()
    report = directory_import(actor=None, content=json.dumps(data, default=str))
    assert not report.applied and _state() == before
    assert [r.outcome for r in report.rows] == ["updated", "refused", "refused", "refused"]
    assert report.rows[0].changes == ["description"]
    messages = [" ".join(r.messages) for r in report.refused]
    assert "nom : texte trop court" in messages[0]
    assert (
        "date_maj : La date de dernière modification ne peut pas être dans le futur" in messages[1]
    )
    assert "publics.0 : valeur hors du vocabulaire data·inclusion" in messages[2]
    assert not AuditEntry.objects.filter(action="partners.directory.imported").exists()


def test_apply_imports_the_good_rows_only(directory):
    offer, data = _broken_file()
    count = ServiceOffer.objects.count()
    report = directory_import(actor=None, content=json.dumps(data, default=str), apply=True)
    assert report.count("updated") == 1 and report.count("refused") == 3
    offer.refresh_from_db()
    assert offer.description.endswith("Nouvelle précision.")
    assert ServiceOffer.objects.count() == count
    assert AuditEntry.objects.filter(action="partners.directory.imported").count() == 1


def test_a_foreign_structure_becomes_a_site_of_its_network_operator(directory):
    structure = {
        "source": "dora",
        "id": "dora--ml-saint-denis",
        "nom": "Mission locale de Saint-Denis",
        "date_maj": "2026-01-15",
        "adresse": "1 place de la Démonstration",
        "code_insee": "93066",
        "code_postal": "93200",
        "commune": "Saint-Denis",
        "telephone": "+33199000000",
        "reseaux_porteurs": ["mission-locale"],
    }
    service = {
        "source": "dora",
        "id": "dora--accueil-jeunes",
        "structure_id": "dora--ml-saint-denis",
        "nom": "Accueil des jeunes",
        "description": "Un premier accueil pour les jeunes de 16 à 25 ans.",
        "date_maj": "2026-01-15",
        "publics": ["jeunes"],
        "thematiques": ["trouver-un-emploi--repondre-a-des-offres-demploi"],
        "modes_accueil": ["en-presentiel"],
    }
    content = json.dumps([structure, service])
    report = directory_import(actor=None, content=content, apply=True)
    assert [r.outcome for r in report.rows] == ["created", "created"], report.lines_fr()
    site = Site.objects.get(name="Mission locale de Saint-Denis")
    assert site.organisation.slug == "arml-idf" and site.commune_id == "93066"
    offer = ServiceOffer.objects.get(title="Accueil des jeunes")
    assert list(offer.sites.all()) == [site] and offer.publics == ["jeunes"]
    again = directory_import(actor=None, content=content, apply=True)
    assert [r.outcome for r in again.rows] == ["unchanged", "unchanged"]


def test_a_csv_file_imports_like_json(directory):
    offer = ServiceOffer.objects.filter(organisation__slug="afdas").first()
    row = datainclusion.service_of(offer)
    header = ["id", "structure_id", "source", "nom", "description", "date_maj"]
    header += ["publics", "thematiques"]
    values = [str(row[k]) for k in header[:-2]] + ["actifs", ",".join(row["thematiques"])]
    csv_text = ",".join(header) + "\n" + ",".join(f'"{v}"' for v in values) + "\n"
    report = directory_import(actor=None, content=csv_text, filename="services.csv")
    assert report.rows[0].outcome == "updated", report.lines_fr()
    # Without Maillage's own codes, the nearest Maillage public stands for « actifs ».
    assert "publics" in report.rows[0].changes


def test_the_cli_is_a_dry_run_unless_apply(directory, tmp_path, capsys):
    _offer, data = _broken_file()
    path = tmp_path / "services.json"
    path.write_text(json.dumps(data, default=str), encoding="utf-8")
    before = _state()
    call_command("directory", "import", str(path))
    out = capsys.readouterr()
    assert "Aperçu (rien n'est enregistré)" in out.out and "refusé" in out.out
    assert "3 ligne(s) refusée(s)" in out.err
    assert _state() == before
    call_command("directory", "import", str(path), "--apply")
    assert "Import appliqué : 0 créé(s), 1 mis à jour" in capsys.readouterr().out
    assert _state() != before


def test_an_unreadable_file_is_a_french_error(tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "x.json"
    path.write_text("{pas du json", encoding="utf-8")
    with pytest.raises(CommandError, match="Le JSON n'est pas valable"):
        call_command("directory", "import", str(path))
