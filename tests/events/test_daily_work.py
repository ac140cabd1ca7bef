"""Organisers' daily work: cancel one person, export the registrants, check in on the day."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from maillage.core.errors import Conflict
from maillage.events import services
from maillage.events.enums import RegistrationStatus
from maillage.events.models import Registration
from tests.events.factories import EventFactory, RegistrationFactory
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _today_event(**extra):
    start = timezone.now() - timedelta(minutes=1)
    return EventFactory(starts_at=start, ends_at=start + timedelta(hours=3), **extra)


def test_an_organiser_cancels_a_person_who_is_told_and_the_seat_moves_on(
    client, register, manager, mailoutbox, work, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=1, lead_organisation=manager.organisation)
    anna = register(event, "anna")
    bilal = register(event, "bilal")
    client.force_login(manager.user)
    url = f"/espace/evenements/{event.pk}/inscriptions/{anna.pk}/annuler"
    assert "Message à la personne" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"message": "Atelier réservé aux demandeurs d'emploi."})
    anna.refresh_from_db()
    bilal.refresh_from_db()
    assert (anna.status, anna.cancel_reason) == (RegistrationStatus.CANCELLED, "organiser")
    assert bilal.status == RegistrationStatus.OFFERED
    work()
    told = [m for m in mailoutbox if m.subject.startswith("Inscription annulée par")]
    assert [m.to for m in told] == [["anna@exemple.fr"]]
    assert "Atelier réservé aux demandeurs d'emploi." in told[0].body
    assert told[0].attachments  # the CANCEL that removes it from the calendar


def test_someone_outside_the_organisers_cannot_cancel_a_registration(client, register):
    event = EventFactory(capacity=3)
    anna = register(event, "anna")
    client.force_login(MembershipFactory(manager=True).user)
    url = f"/espace/evenements/{event.pk}/inscriptions/{anna.pk}/annuler"
    assert client.post(url, {"message": "x"}).status_code == 404
    anna.refresh_from_db()
    assert anna.status == RegistrationStatus.CONFIRMED


def test_the_export_has_the_answers_and_neutralises_formulas(client, manager):
    event = EventFactory(
        lead_organisation=manager.organisation,
        questions=[{"key": "metier", "label": "Votre métier", "required": False}],
    )
    sender = OrganisationFactory(name="Afdas")
    RegistrationFactory(
        event=event,
        last_name="=HYPERLINK(1)",
        answers={"metier": "Soudeur"},
        sent_by_organisation=sender,
    )
    client.force_login(manager.user)
    text = client.get(f"/espace/evenements/{event.pk}/inscriptions/export?format=csv")
    body = b"".join(text.streaming_content).decode("utf-8-sig")
    header, row = body.splitlines()[:2]
    assert header.split(";")[-1] == "Votre métier"
    assert row.startswith("'=HYPERLINK(1);") and row.endswith(";Soudeur") and ";Afdas;" in row
    response = client.get(f"/espace/evenements/{event.pk}/inscriptions/export?format=xlsx")
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][-1] == "Votre métier"
    assert rows[2][0] == "'=HYPERLINK(1)" and rows[2][-1] == "Soudeur"
    other = MembershipFactory(manager=True)
    client.force_login(other.user)
    assert client.get(f"/espace/evenements/{event.pk}/inscriptions/export").status_code == 404


def test_check_in_is_refused_before_the_day_of_the_event(client, manager):
    event = EventFactory(lead_organisation=manager.organisation)  # in seven days
    registration = RegistrationFactory(event=event)
    with pytest.raises(Conflict, match="Le pointage ouvre le jour de l'évènement"):
        services.checkin_mark(actor=manager.user, registration=registration, present=True)
    client.force_login(manager.user)
    page = client.get(f"/espace/evenements/{event.pk}/presences/").content.decode()
    assert "Le pointage ouvre le jour" in page and "Présent : " not in page
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def test_the_setting_opens_check_in_some_hours_before(manager, settings):
    start = timezone.now() + timedelta(days=2)
    event = EventFactory(
        lead_organisation=manager.organisation, starts_at=start, ends_at=start + timedelta(hours=2)
    )
    registration = RegistrationFactory(event=event)
    settings.MAILLAGE_CHECKIN_OPENS_HOURS_BEFORE = 72
    services.checkin_mark(actor=manager.user, registration=registration, present=True)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.ATTENDED
    settings.MAILLAGE_CHECKIN_OPENS_HOURS_BEFORE = 24
    with pytest.raises(Conflict):
        services.checkin_mark(actor=manager.user, registration=registration, present=False)


def test_check_in_finds_people_by_name_and_marks_them_on_the_day(client, manager):
    event = _today_event(lead_organisation=manager.organisation, capacity=10)
    wanted = RegistrationFactory(event=event, first_name="Bilal", last_name="Nguyen")
    RegistrationFactory(event=event, first_name="Anna", last_name="Zorglub")
    client.force_login(manager.user)
    page = client.get(f"/espace/evenements/{event.pk}/presences/?q=nguy").content.decode()
    assert "Nguyen" in page and "Zorglub" not in page
    response = client.post(
        f"/espace/evenements/{event.pk}/presences/{wanted.pk}", {"present": "1", "q": "nguy"}
    )
    assert response.url.endswith(f"?q=nguy#inscription-{wanted.pk}")
    wanted.refresh_from_db()
    assert wanted.status == RegistrationStatus.ATTENDED


def test_attendees_are_credited_once_to_the_operator_that_sent_them(client, manager):
    event = _today_event(lead_organisation=manager.organisation, capacity=30)
    co = OrganisationFactory()
    event.organisers.create(organisation=co)
    sent = [RegistrationFactory(event=event, sent_by_organisation=co) for _ in range(3)]
    alone = [RegistrationFactory(event=event) for _ in range(2)]
    for registration in [*sent, *alone]:
        services.checkin_mark(actor=manager.user, registration=registration, present=True)
    client.force_login(manager.user)
    credits = client.get(f"/espace/evenements/{event.pk}/").context["credits"]
    by_org = {row["organiser"] and row["organiser"].organisation_id: row for row in credits}
    assert by_org[co.pk]["attended_credited"] == 3
    assert by_org[manager.organisation_id]["attended_credited"] == 0
    assert by_org[None]["attended_credited"] == 2
    assert (
        sum(row["attended_credited"] for row in credits)
        == Registration.objects.filter(event=event, status=RegistrationStatus.ATTENDED).count()
    )
