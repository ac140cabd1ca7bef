"""Exports (CSV, XLSX) and the access request (JSON and printable page), managers only."""

import csv
import io
import json
import re
from datetime import datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from maillage.core.models import AuditEntry
from tests.factories import MembershipFactory
from tests.referrals import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client, receiver):
    membership = MembershipFactory(organisation=receiver.organisation, manager=True)
    client.force_login(membership.user)
    return membership


def test_csv_export_holds_the_operators_referrals_only(
    export_built, manager, sender, receiver, stranger
):
    factories.send(sender, receiver, first_name="Alice", last_name="Martin")
    factories.send(stranger, sender)  # between two other operators: not exported
    content = export_built("csv")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == ["Numéro", "Envoyée le", "État", "Orientée par", "Orientée vers"]
    assert len(rows) == 2 and rows[1][7:9] == ["Alice", "Martin"]
    # Operators by name, a date as French spreadsheets read it (31/12/2026 14:30).
    assert rows[1][3:5] == [sender.organisation.name, receiver.organisation.name]
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", rows[1][1])
    assert AuditEntry.objects.filter(action="referrals.export.requested").exists()


def test_xlsx_export_opens_in_a_spreadsheet(export_built, manager, sender, receiver):
    factories.send(sender, receiver, first_name="Alice", last_name="Martin")
    workbook = load_workbook(io.BytesIO(export_built("xlsx")), read_only=True)
    rows = list(workbook["Orientations"].values)
    assert rows[0][0] == "Numéro" and rows[1][8] == "Martin" and len(rows) == 2
    assert isinstance(rows[1][0], int) and isinstance(rows[1][1], datetime)


def test_exports_are_for_managers(client, receiver):
    client.force_login(receiver.user)
    assert client.post(reverse("referrals:export"), {"format": "csv"}).status_code == 403
    assert client.get(reverse("referrals:exports")).status_code == 403


def test_access_request_gathers_the_persons_referrals_as_json_and_page(
    client, manager, sender, receiver
):
    first = factories.send(
        sender, receiver, first_name="Zoé", last_name="Blanc", email="zoe@exemple.fr"
    )
    factories.send(
        sender,
        receiver,
        first_name="Zoé",
        last_name="Blanc",
        email="zoe@exemple.fr",
        duplicate_reason="Nouvelle demande",
    )
    factories.send(sender, receiver, first_name="Autre", last_name="Personne")
    url = reverse("referrals:access_request", args=[first.pk])
    data = json.loads(client.get(url, {"format": "json"}).content)
    assert [r["person"]["email"] for r in data["referrals"]] == ["zoe@exemple.fr"] * 2
    assert data["referrals"][0]["consent"]["operators"] == ["cap-test"]
    html = client.get(url).content.decode()
    assert "Zoé Blanc" in html and "Autre Personne" not in html
    assert AuditEntry.objects.filter(action="referrals.person.exported").count() == 2
