"""Pôle emploi became France Travail on 1 January 2024: the name is dated data, read by date."""

import json
from datetime import date, datetime
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.partners import selectors as partner_selectors
from maillage.partners.models import Organisation, OrganisationName
from maillage.routing import engine
from maillage.routing.engine import decide
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
JOB_SEEKER = {"department": "75", "status": "job_seeker", "age": 40}


def test_decisions_of_2023_name_pole_emploi_and_of_2024_france_travail(rules):
    in_2023 = decide(JOB_SEEKER, date(2023, 12, 31))
    in_2024 = decide(JOB_SEEKER, date(2024, 1, 1))
    # Same operator, same rule: only its name changed, on the date the data says.
    assert (
        (in_2023.primary, in_2023.rule) == (in_2024.primary, in_2024.rule) == ("pole-emploi", "R5")
    )
    assert in_2023.primary_name == "Pôle emploi"
    assert in_2023.explanation.startswith("Demandeur d'emploi : Pôle emploi est votre opérateur")
    assert in_2024.primary_name == "France Travail"
    assert in_2024.explanation.startswith("Demandeur d'emploi : France Travail est votre opérateur")
    assert "Pôle emploi" not in in_2024.explanation


def test_the_names_come_from_the_data_not_from_the_code(rules):
    """Move the rename by a year in the data: the decisions follow, without any code change."""
    pole_emploi = Organisation.objects.get(slug="pole-emploi")
    pole_emploi.names.filter(name="Pôle emploi").update(valid_until=date(2024, 12, 31))
    pole_emploi.names.filter(name="France Travail").update(valid_from=date(2025, 1, 1))
    engine.invalidate()
    assert decide(JOB_SEEKER, date(2024, 6, 1)).primary_name == "Pôle emploi"
    assert decide(JOB_SEEKER, date(2025, 1, 1)).primary_name == "France Travail"


def test_the_api_and_the_command_name_the_operator_of_the_date(rules, client):
    for day, name in (("2023-06-01", "Pôle emploi"), ("2024-06-01", "France Travail")):
        response = client.post(
            "/api/v1/routing/decisions",
            {**JOB_SEEKER, "date": day},
            content_type="application/json",
        )
        assert response.status_code == 200
        assert f"{name} est votre opérateur" in response.json()["explanation"]


def test_the_counsellor_page_names_the_operator_of_the_decision_date(rules, client):
    client.force_login(MembershipFactory().user)
    pages = {
        day: unescape(
            client.get("/espace/aiguillage/", {**JOB_SEEKER, "date": day}).content.decode()
        )
        for day in ("2023-06-01", "2024-06-01")
    }
    assert '<h3 id="op-pole-emploi">Pôle emploi</h3>' in pages["2023-06-01"]
    assert "https://www.pole-emploi.fr" in pages["2023-06-01"]
    assert '<h3 id="op-pole-emploi">France Travail</h3>' in pages["2024-06-01"]
    assert "Pôle emploi" not in pages["2024-06-01"]


def test_the_organisation_is_called_by_its_name_of_each_date(rules):
    pole_emploi = Organisation.objects.get(slug="pole-emploi")
    assert pole_emploi.name == "France Travail"  # today's name
    assert pole_emploi.name_on(date(2019, 3, 1)) == "Pôle emploi"
    assert pole_emploi.name_on(date(2023, 12, 31)) == "Pôle emploi"
    assert pole_emploi.name_on(date(2024, 1, 1)) == "France Travail"
    assert partner_selectors.organisation_names_on(date(2023, 1, 1))["pole-emploi"] == "Pôle emploi"
    assert Organisation.objects.get(slug="apec").name_on(date(2023, 1, 1)) == "Apec"


def test_loading_the_reference_twice_keeps_one_row_per_name(rules):
    from maillage.core.reference import reference_load_all

    reference_load_all()
    names = OrganisationName.objects.filter(organisation__slug="pole-emploi")
    assert sorted(names.values_list("name", flat=True)) == ["France Travail", "Pôle emploi"]


def test_a_referral_of_2023_keeps_the_name_it_had(rules, client):
    from tests.referrals import factories

    sender = MembershipFactory(organisation=Organisation.objects.get(slug="apec"))
    receiver = MembershipFactory(organisation=Organisation.objects.get(slug="pole-emploi"))
    old = factories.send(sender, receiver, profile={"department": "75", "status": "job_seeker"})
    new = factories.send(sender, receiver, profile={"department": "75", "status": "job_seeker"})
    old.sent_at = timezone.make_aware(datetime(2023, 11, 6, 10, 0))
    old.save(update_fields=["sent_at"])
    client.force_login(sender.user)
    old_page = unescape(client.get(reverse("referrals:detail", args=[old.pk])).content.decode())
    new_page = unescape(client.get(reverse("referrals:detail", args=[new.pk])).content.decode())
    assert "Apec → Pôle emploi" in old_page
    assert "Apec → France Travail" in new_page


def test_the_cli_names_the_operator_of_the_date(rules, capsys):
    from django.core.management import call_command

    call_command("route", "--date", "2023-03-01", json.dumps(JOB_SEEKER))
    assert "Pôle emploi est votre opérateur" in json.loads(capsys.readouterr().out)["explanation"]
