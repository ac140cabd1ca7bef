"""Public pages (calendar, event, registration, feed) and organisers' pages (scoped, check-in)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from maillage.events.enums import EventStatus
from maillage.events.enums import RegistrationStatus as RS
from maillage.events.models import Event, EventOrganiser, Registration
from tests.events.factories import EventFactory, RegistrationFactory
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_public_list_filters_by_department_type_and_operator(client, reference):
    afdas = OrganisationFactory(slug="afdas-t")
    forum = EventFactory(department_id="93", lead_organisation=afdas, title="Forum 93")
    EventFactory(department_id="75", kind="workshop", title="Atelier 75")
    EventFactory(draft=True, title="Brouillon secret")
    page = client.get("/evenements/").content.decode()
    assert "Forum 93" in page and "Atelier 75" in page and "Brouillon secret" not in page
    page = client.get("/evenements/?department=93").content.decode()
    assert "Forum 93" in page and "Atelier 75" not in page
    page = client.get("/evenements/?kind=workshop").content.decode()
    assert "Atelier 75" in page and "Forum 93" not in page
    page = client.get("/evenements/?organisation=afdas-t").content.decode()
    assert "Forum 93" in page and "Atelier 75" not in page
    assert forum.get_absolute_url() in page


def test_calendar_view_places_the_event_on_its_day(client):
    event = EventFactory(title="Job dating du mois")
    local = timezone.localtime(event.starts_at)
    page = client.get(f"/evenements/?vue=calendrier&mois={local:%Y-%m}").content.decode()
    assert "Job dating du mois" in page
    assert "1 évènement ce mois-ci" in page


def test_public_list_page_does_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(15):
        EventFactory()
    with django_assert_max_num_queries(8):
        assert client.get("/evenements/").status_code == 200


def test_event_page_hides_the_online_link_and_shows_seats(client):
    event = EventFactory(
        capacity=3, online_url="https://visio.exemple.fr/secret", venue="", address=""
    )
    RegistrationFactory(event=event)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "secret" not in page
    assert "2 places ouvertes au public." in page
    assert "Je m&#x27;inscris" in page or "Je m'inscris" in page


def test_registering_on_the_page_answers_and_emails_the_personal_link(
    client, work, mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=1)
    for name in ("anna", "bilal"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/evenements/{event.pk}/inscription",
                {"first_name": name.title(), "last_name": "Test", "email": f"{name}@exemple.fr"},
                follow=True,
            )
        assert "vous recevez une confirmation" in response.content.decode()
    work()
    pages = {}
    for message in mailoutbox:
        link = re.search(r"https?://\S+(/evenements/inscription/\S+/)", message.body).group(1)
        pages[message.to[0]] = client.get(link).content.decode()
    assert "Mon inscription" in pages["anna@exemple.fr"] and "Confirmée" in pages["anna@exemple.fr"]
    assert "en position" in pages["bilal@exemple.fr"]


def test_registering_twice_on_the_page_never_shows_the_other_registration(client):
    event = EventFactory()
    data = {"first_name": "Anna", "last_name": "Test", "email": "anna@exemple.fr"}
    client.post(f"/evenements/{event.pk}/inscription", data)
    response = client.post(f"/evenements/{event.pk}/inscription", data, follow=True)
    content = response.content.decode()
    assert "vous recevez une confirmation" in content
    assert "Mon inscription" not in content
    assert Registration.objects.count() == 1


def test_invalid_form_shows_french_errors_not_a_500(client):
    event = EventFactory()
    response = client.post(f"/evenements/{event.pk}/inscription", {"email": "x"})
    assert response.status_code == 422
    assert "Ce champ est obligatoire" in response.content.decode()


def test_feed_is_valid_ics_filtered_by_operator_and_department(client, reference):
    afdas = OrganisationFactory(slug="afdas-f")
    kept = EventFactory(department_id="93", lead_organisation=afdas, online_url="https://v.fr/x")
    EventFactory(department_id="75")
    other_dep = EventFactory(department_id="75")
    EventOrganiser.objects.create(event=other_dep, organisation=afdas)
    response = client.get("/evenements/calendrier.ics?organisation=afdas-f&department=93")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    summaries = [str(e["summary"]) for e in calendar.walk("VEVENT")]
    assert summaries == [kept.title]
    assert "v.fr/x" not in response.content.decode()
    everything = Calendar.from_ical(client.get("/evenements/calendrier.ics").content)
    assert len(everything.walk("VEVENT")) == 3


def test_another_organisations_event_is_not_found_in_the_back_office(client):
    event = EventFactory()
    stranger = MembershipFactory(manager=True)
    client.force_login(stranger.user)
    assert client.get(f"/espace/evenements/{event.pk}/").status_code == 404
    assert client.get(f"/espace/evenements/{event.pk}/presences/").status_code == 404
    registration = RegistrationFactory(event=event)
    response = client.post(
        f"/espace/evenements/{event.pk}/presences/{registration.pk}", {"present": "1"}
    )
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == RS.CONFIRMED


def test_co_organiser_checks_people_in_and_attendance_is_credited_to_each(client):
    # Check-in is open on the day of the event: this one has just begun.
    start = timezone.now() - timedelta(minutes=1)
    event = EventFactory(capacity=10, starts_at=start, ends_at=start + timedelta(hours=3))
    co = OrganisationFactory()
    EventOrganiser.objects.create(event=event, organisation=co, counsellors=2, hours=6)
    came = RegistrationFactory(event=event, last_name="Présente", sent_by_organisation=co)
    missed = RegistrationFactory(event=event, last_name="Absente")
    counsellor = MembershipFactory(organisation=co)
    client.force_login(counsellor.user)
    client.post(f"/espace/evenements/{event.pk}/presences/{came.pk}", {"present": "1"})
    client.post(f"/espace/evenements/{event.pk}/presences/{missed.pk}", {"present": "0"})
    came.refresh_from_db()
    missed.refresh_from_db()
    assert (came.status, missed.status) == (RS.ATTENDED, RS.NO_SHOW)
    assert came.checked_in_at is not None
    page = client.get(f"/espace/evenements/{event.pk}/presences/").content.decode()
    assert 'id="total-presents">1<' in page and 'id="total-absents">1<' in page
    detail = client.get(f"/espace/evenements/{event.pk}/")
    credits = {
        row["organiser"] and row["organiser"].organisation_id: row
        for row in detail.context["credits"]
    }
    # Each person present is credited once, to the operator that sent them.
    assert credits[co.pk]["attended_credited"] == 1
    assert credits[event.lead_organisation_id]["attended_credited"] == 0
    assert credits[None]["attended_credited"] == 0


def test_counsellor_registers_a_person_and_the_row_says_who_sent_them(client):
    event = EventFactory(capacity=5)
    counsellor = MembershipFactory()
    client.force_login(counsellor.user)
    response = client.post(
        f"/espace/evenements/{event.pk}/inscrire/",
        {"first_name": "Sam", "last_name": "Envoyé", "email": "sam@exemple.fr"},
        follow=True,
    )
    assert "Inscription confirmée" in response.content.decode()
    registration = Registration.objects.get(email="sam@exemple.fr")
    assert registration.sent_by_organisation == counsellor.organisation
    assert registration.sent_by == counsellor.user


def test_manager_creates_a_draft_then_publishes_it(client, reference):
    manager = MembershipFactory(manager=True)
    co = OrganisationFactory()
    client.force_login(manager.user)
    start = timezone.localtime(timezone.now() + timedelta(days=20)).replace(second=0, microsecond=0)
    response = client.post(
        "/espace/evenements/nouveau/",
        {
            "title": "Atelier reconversion",
            "kind": "workshop",
            "audience": "public",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "department": "94",
            "venue": "Médiathèque",
            "capacity": "12",
            "questions": "Votre métier *\nVos attentes",
            "offer_hours": "24",
            "reminder_days": "2",
            "co_organisers": [co.pk],
        },
        follow=True,
    )
    event = Event.objects.get(title="Atelier reconversion")
    assert event.status == EventStatus.DRAFT
    assert event.questions[0] == {"key": "votre-metier", "label": "Votre métier", "required": True}
    assert set(event.organisers.values_list("organisation_id", flat=True)) == {
        manager.organisation_id,
        co.pk,
    }
    assert "créé en brouillon" in response.content.decode()
    client.post(f"/espace/evenements/{event.pk}/etat", {"to_status": "published"})
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED
    # Going back to draft is not an allowed transition: the page says so, nothing changes.
    response = client.post(
        f"/espace/evenements/{event.pk}/etat", {"to_status": "draft"}, follow=True
    )
    assert "ne peut pas passer" in response.content.decode()
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED


def test_a_counsellor_cannot_create_or_publish(client):
    counsellor = MembershipFactory()
    event = EventFactory(draft=True, lead_organisation=counsellor.organisation)
    client.force_login(counsellor.user)
    assert client.get("/espace/evenements/nouveau/").status_code == 403
    assert (
        client.post(f"/espace/evenements/{event.pk}/etat", {"to_status": "published"}).status_code
        == 403
    )


def test_a_member_registers_themself_to_a_members_only_session(client):
    event = EventFactory(audience="members", capacity=5)
    assert client.get(event.get_absolute_url()).status_code == 404  # not for anonymous visitors
    member = MembershipFactory()
    client.force_login(member.user)
    assert client.get(event.get_absolute_url()).status_code == 200
    response = client.post(f"/evenements/{event.pk}/inscription-membre", follow=True)
    assert "Vous êtes inscrit·e" in response.content.decode()
    registration = Registration.objects.get(event=event)
    assert (registration.user, registration.sent_by_organisation) == (
        member.user,
        member.organisation,
    )
    client.post(f"/evenements/{event.pk}/inscription-membre")
    assert Registration.objects.filter(event=event).count() == 1


def test_manager_edits_the_event_and_new_seats_go_to_the_waiting_list(client, reference):
    manager = MembershipFactory(manager=True)
    event = EventFactory(
        capacity=1,
        lead_organisation=manager.organisation,
        department_id="93",
        questions=[{"key": "metier", "label": "Votre métier", "required": True}],
    )
    RegistrationFactory(event=event)
    waiting = RegistrationFactory(
        event=event, status=RS.WAITLISTED, waitlisted_at=timezone.now(), confirmed_at=None
    )
    client.force_login(manager.user)
    form = client.get(f"/espace/evenements/{event.pk}/modifier/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(capacity="2", title="Forum renommé")
    response = client.post(f"/espace/evenements/{event.pk}/modifier/", data, follow=True)
    assert "mis à jour" in response.content.decode()
    event.refresh_from_db()
    waiting.refresh_from_db()
    assert (event.title, event.capacity) == ("Forum renommé", 2)
    assert event.questions == [{"key": "metier", "label": "Votre métier", "required": True}]
    assert waiting.status == RS.OFFERED


def test_organisers_list_does_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    manager = MembershipFactory(manager=True)
    for _ in range(12):
        event = EventFactory(lead_organisation=manager.organisation)
        RegistrationFactory(event=event)
    client.force_login(manager.user)
    with django_assert_max_num_queries(14):
        response = client.get("/espace/evenements/")
    assert response.content.decode().count("/espace/evenements/") >= 12
