"""The directory through the API: data·inclusion pages and HSDS 3 pages, public, paginated."""

import pytest
from data_inclusion.schema import v1

from maillage.partners import demo as partners_demo
from maillage.partners import hsds
from maillage.partners.models import Organisation, ServiceOffer, Site

pytestmark = pytest.mark.django_db

STRICT = {"ignore_warnings": False}


def _published_offers():
    """What the directory publishes: active offers of operators still active (the demo keeps
    the Fongecif's closed offer, which no export shows)."""
    return ServiceOffer.objects.filter(is_active=True, organisation__is_active=True)


@pytest.fixture
def directory(reference):
    partners_demo.build()


def test_data_inclusion_structures_are_public_paginated_and_valid(directory, client):
    total = Organisation.objects.filter(is_active=True).count()
    first = client.get("/api/v1/data-inclusion/structures", {"size": 5}).json()
    assert (first["total"], first["page"], first["size"], first["pages"]) == (
        total,
        1,
        5,
        -(-total // 5),
    )
    assert first["licence"] == "etalab-2.0"
    ids = set()
    for number in range(1, first["pages"] + 1):
        page = client.get("/api/v1/data-inclusion/structures", {"size": 5, "page": number})
        for item in page.json()["items"]:
            v1.Structure.model_validate(item, context=STRICT)
            ids.add(item["id"])
    assert len(ids) == total


def test_data_inclusion_services_validate_and_carry_their_date_of_change(directory, client):
    body = client.get("/api/v1/data-inclusion/services", {"size": 1000}).json()
    assert body["total"] == _published_offers().count() == len(body["items"])
    for item in body["items"]:
        service = v1.Service.model_validate(item, context=STRICT)
        assert service.date_maj and service.modes_mobilisation and service.mobilisable_par


def test_a_bad_page_size_is_a_422_not_a_500(client, db):
    response = client.get("/api/v1/data-inclusion/services", {"size": 0})
    assert response.status_code == 422
    assert response.json()["detail"]


def test_hsds_pages_carry_every_required_field(directory, client):
    for path, model, count in (
        ("organizations", hsds.Organization, Organisation.objects.filter(is_active=True).count()),
        ("services", hsds.Service, _published_offers().count()),
        ("locations", hsds.Location, Site.objects.filter(organisation__is_active=True).count()),
        (
            "service_at_locations",
            hsds.ServiceAtLocation,
            ServiceOffer.sites.through.objects.filter(
                serviceoffer__in=_published_offers(), site__organisation__is_active=True
            ).count(),
        ),
    ):
        body = client.get(f"/api/v1/hsds/{path}", {"per_page": 1000}).json()
        assert body["total_items"] == count == len(body["contents"]), path
        assert body["first_page"] and body["last_page"] and not body["empty"]
        for item in body["contents"]:
            model.model_validate(item)


def test_hsds_ids_are_the_stable_public_ids(directory, client):
    site = Site.objects.filter(organisation__slug="apec").first()
    body = client.get("/api/v1/hsds/locations", {"per_page": 1000}).json()
    location = next(item for item in body["contents"] if item["id"] == str(site.public_id))
    assert location["addresses"][0]["postal_code"] == site.postcode
    assert location["schedules"][0]["byday"] == "MO,TU,WE,TH,FR"
    assert location["external_identifier"] == site.commune_id


def test_a_hsds_model_refuses_a_service_without_status():
    import uuid

    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        hsds.Service.model_validate(
            {"id": uuid.uuid4(), "organization_id": uuid.uuid4(), "name": "x"}
        )


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/data-inclusion/structures",
        "/api/v1/data-inclusion/services",
        "/api/v1/hsds/organizations",
        "/api/v1/hsds/services",
        "/api/v1/hsds/locations",
        "/api/v1/hsds/service_at_locations",
    ],
)
def test_a_list_page_costs_a_fixed_number_of_queries(directory, client, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(path, {"size": 3, "per_page": 3})
    with CaptureQueriesContext(connection) as large:
        client.get(path, {"size": 1000, "per_page": 1000})
    assert len(large) == len(small) <= 8


def test_the_cli_writes_the_files_and_prints_the_records(directory, tmp_path, settings, capsys):
    import json

    from django.core.files.storage import default_storage
    from django.core.management import call_command

    settings.MEDIA_ROOT = tmp_path
    call_command("directory", "export")
    assert "6 fichier(s) écrit(s)" in capsys.readouterr().out
    # In the configured storage (a build folder of its own, its manifest written last).
    from maillage.partners.exports import file_open

    with file_open("hsds-services.json") as handle:
        assert json.load(handle)
    assert str(tmp_path) in default_storage.path("annuaire")
    call_command("directory", "export", "--print")
    data = json.loads(capsys.readouterr().out)
    assert len(data["services"]) == _published_offers().count()
