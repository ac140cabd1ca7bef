"""Reference data: the partnership as data, loaded idempotently and shown on the home page."""

import pytest
import yaml
from django.core.management import call_command

from maillage.core.reference import reference_load_all
from maillage.governance.models import Committee
from maillage.partners.models import Convention, Organisation

CEP_SLUGS = {
    "afdas",
    "agecif-cama",
    "faf-tt",
    "unagecif",
    "unifaf-idf",
    "uniformation-idf",
    "arml-idf",
    "cheops-idf",
    "fongecif-idf",
    "pole-emploi",
    "apec",
    "operateur-regional-idf",
    "employeur-public",
    "mon-cep",
    "accueil-generaliste",
    "region-idf",
    "defi-metiers",
}
SIGNATORIES = {
    "afdas",
    "agecif-cama",
    "faf-tt",
    "unagecif",
    "unifaf-idf",
    "uniformation-idf",
    "arml-idf",
    "cheops-idf",
}

pytestmark = pytest.mark.django_db


def test_every_slug_of_the_domain_is_loaded(reference):
    assert set(Organisation.objects.values_list("slug", flat=True)) == CEP_SLUGS


def test_a_second_load_changes_nothing(reference):
    report = reference_load_all()
    for counts in report.values():
        for created, updated, _unchanged in counts.values():
            assert (created, updated) == (0, 0)


def test_an_edited_row_is_updated_on_the_next_load(reference, tmp_path, settings):
    data = tmp_path / "data"
    data.mkdir()
    for name in ("departments.csv", "conventions.yaml"):
        (data / name).write_text((settings.DATA_DIR / name).read_text(encoding="utf-8"))
    organisations = yaml.safe_load((settings.DATA_DIR / "organisations.yaml").read_text())
    organisations[0]["public_summary"] = "Public modifié"
    (data / "organisations.yaml").write_text(yaml.safe_dump(organisations, allow_unicode=True))
    settings.DATA_DIR = data
    settings.MAILLAGE_REFERENCE_LOADERS = ["maillage.partners.reference"]
    report = reference_load_all()
    assert report["partners"]["organisations"][1] == 1
    assert (
        Organisation.objects.get(slug=organisations[0]["slug"]).public_summary == "Public modifié"
    )


def test_the_2019_convention_has_its_eight_signatories_and_two_committees(reference):
    convention = Convention.objects.get(slug="convention-cep-idf-2019")
    signatories = set(
        convention.parties.filter(role="signatory").values_list("organisation__slug", flat=True)
    )
    assert signatories == SIGNATORIES
    assert str(convention.signed_on) == "2019-02-28"
    assert str(convention.valid_until) == "2019-12-31"
    assert len(convention.axes) == 3
    assert set(Committee.objects.values_list("slug", flat=True)) == {
        "comite-de-pilotage",
        "comite-technique-regional",
    }


def test_home_page_shows_the_convention_from_data(reference, client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "28 février 2019" in html and "31 décembre 2019" in html
    for slug in SIGNATORIES:
        assert f'href="/annuaire/{slug}/"' in html
    assert "Aiguillage des publics entre acteurs" in html
    assert "Comité technique régional" in html and "Comité de pilotage" in html


def test_home_page_follows_an_edit_of_the_data(reference, client):
    Convention.objects.filter(slug="convention-cep-idf-2019").update(title="Convention renommée")
    assert "Convention renommée" in client.get("/").content.decode()


def test_demo_is_idempotent(db, settings):
    call_command("demo", "--no-serve", verbosity=0)
    from maillage.accounts.models import Membership, User
    from maillage.partners.models import Site

    counts = (User.objects.count(), Membership.objects.count(), Site.objects.count())
    password = User.objects.get(email="conseiller@afdas.demo").password
    call_command("demo", "--no-serve", verbosity=0)
    assert (User.objects.count(), Membership.objects.count(), Site.objects.count()) == counts
    assert User.objects.get(email="conseiller@afdas.demo").password == password
    assert User.objects.filter(email="coordination@region-idf.demo").exists()
    for slug in ("afdas", "pole-emploi", "operateur-regional-idf"):
        assert User.objects.filter(email=f"responsable@{slug}.demo").exists()
