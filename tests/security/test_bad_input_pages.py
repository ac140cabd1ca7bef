"""Each input that answered a 500 on a page now answers the page's French error.

The test client re-raises a view's exception, so each of these failed (OverflowError,
ValueError) before the fixes.
"""

from datetime import timedelta
from html import unescape

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from maillage.core.parsing import DATE_MESSAGE
from maillage.events.models import Event, EventOrganiser
from maillage.training.services import sessions as training_services
from tests.events.factories import EventFactory
from tests.factories import MembershipFactory, OrganisationFactory
from tests.referrals import factories as referral_factories
from tests.training.factories import make_session

pytestmark = pytest.mark.django_db

HUGE = str(10**30)


def _text(response):
    return unescape(response.content.decode())


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# -- dates in GET filters -------------------------------------------------------------------


def test_an_event_list_from_year_one_shows_a_french_date_error(client):
    EventFactory(title="Forum des métiers")
    response = client.get("/evenements/", {"date_from": "0001-01-01"})
    assert response.status_code == 200
    assert DATE_MESSAGE in _text(response)
    # The filter is ignored: upcoming events are listed as without it.
    assert "Forum des métiers" in _text(response)


@pytest.mark.parametrize("month", ["0001-01", "9999-12", "2026-13", "abc"])
def test_a_calendar_month_out_of_range_shows_the_current_month(client, month):
    response = client.get("/evenements/", {"vue": "calendrier", "mois": month})
    assert response.status_code == 200
    previous = timezone.localdate().replace(day=1) - timedelta(days=1)
    assert f"mois={previous:%Y-%m}" in _text(response)


@pytest.mark.parametrize("params", [{"since": "0001-01-01"}, {"until": "9999-12-31"}])
def test_referrals_inbox_dates_out_of_range_are_a_french_filter_error(client, params):
    sender = MembershipFactory()
    receiver = MembershipFactory()
    referral_factories.send(sender, receiver)
    client.force_login(receiver.user)
    response = client.get("/orientations/", params)
    assert response.status_code == 200
    assert "Certains filtres ne sont pas valides" in _text(response)
    assert "1 orientation." in _text(response)


# -- ids posted by the training pages -------------------------------------------------------


@pytest.fixture
def training_session():
    host = MembershipFactory(manager=True)
    session = make_session(publisher=host)
    member = MembershipFactory()
    training_services.enrolment_create(actor=member.user, membership=member, session=session)
    return host, session


@pytest.mark.parametrize("value", ["abc", "", HUGE, "-1"])
def test_a_check_in_with_a_non_numeric_registration_is_a_french_message(
    client, training_session, value
):
    host, session = training_session
    client.force_login(host.user)
    response = client.post(
        f"/espace/formations/{session.pk}/pointage/", {"registration": value, "present": "1"}
    )
    assert response.status_code == 302
    assert _messages(response) == ["Choisissez une personne de la liste des inscrits."]
    assert not session.event.registrations.filter(status="attended").exists()


@pytest.mark.parametrize("value", ["abc", HUGE])
def test_an_enrolment_of_a_non_numeric_member_is_a_french_message(client, training_session, value):
    host, session = training_session
    client.force_login(host.user)
    response = client.post(f"/espace/formations/{session.pk}/inscription/", {"member": value})
    assert response.status_code == 302
    assert _messages(response) == ["Choisissez un membre de votre organisation dans la liste."]
    assert session.event.registrations.count() == 1


def test_a_session_with_a_huge_host_id_is_a_form_error(client, reference):
    manager = MembershipFactory(manager=True)
    client.force_login(manager.user)
    start = timezone.localtime(timezone.now() + timedelta(days=10)).replace(second=0)
    response = client.post(
        "/espace/formations/nouvelle/",
        {
            "title": "Atelier",
            "theme": "marche_emploi",
            "hosts": [HUGE],
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "capacity": "10",
            "venue": "Salle",
        },
    )
    assert response.status_code == 200
    assert "n’est pas une valeur correcte" in _text(response)


# -- numbers and dates of the event forms ---------------------------------------------------


def _event_data(**changes):
    start = timezone.localtime(timezone.now() + timedelta(days=20)).replace(second=0)
    data = {
        "title": "Atelier reconversion",
        "kind": "workshop",
        "audience": "public",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "venue": "Médiathèque",
        "capacity": "12",
        "offer_hours": "24",
        "reminder_days": "2",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("capacity", HUGE, "Saisissez un nombre entre 1 et 100000."),
        ("offer_hours", HUGE, "Saisissez un nombre entre 1 et 720."),
        ("reminder_days", HUGE, "Saisissez un nombre entre 0 et 60."),
        ("registration_opens_at", "0001-01-01T00:00", DATE_MESSAGE),
        ("starts_at", "9999-12-31T23:59", DATE_MESSAGE),
        ("co_organisers", [HUGE], "n’est pas une valeur correcte"),
    ],
)
def test_an_event_with_an_out_of_range_value_is_a_form_error(
    client, reference, field, value, message
):
    manager = MembershipFactory(manager=True)
    client.force_login(manager.user)
    response = client.post("/espace/evenements/nouveau/", _event_data(**{field: value}))
    assert response.status_code == 200
    assert message in _text(response)
    assert not Event.objects.exists()


@pytest.mark.parametrize("field", ["counsellors", "hours"])
def test_an_offer_of_a_huge_number_of_counsellors_or_hours_is_refused_in_french(client, field):
    manager = MembershipFactory(manager=True)
    event = EventFactory(lead_organisation=manager.organisation)
    client.force_login(manager.user)
    data = {"counsellors": "2", "hours": "3"}
    data[field] = HUGE
    response = client.post(f"/espace/evenements/{event.pk}/contribution", data)
    assert response.status_code == 302
    assert _messages(response) == ["Vérifiez la contribution : nombres positifs attendus."]
    organiser = EventOrganiser.objects.get(event=event, organisation=manager.organisation)
    assert organiser.counsellors == 0


def test_reserved_seats_beyond_any_capacity_are_refused_in_french(client):
    manager = MembershipFactory(manager=True)
    event = EventFactory(lead_organisation=manager.organisation)
    other = OrganisationFactory()
    client.force_login(manager.user)
    response = client.post(
        f"/espace/evenements/{event.pk}/places", {"organisation": other.slug, "seats": HUGE}
    )
    assert response.status_code == 302
    assert _messages(response) == ["Choisissez un opérateur et un nombre de places."]


# -- a referral confided to a non-numeric person --------------------------------------------


@pytest.mark.parametrize("value", ["abc", HUGE])
def test_a_referral_confided_to_a_non_numeric_person_is_a_french_error(client, value):
    sender = MembershipFactory()
    receiver = MembershipFactory()
    referral = referral_factories.send(sender, receiver)
    client.force_login(receiver.user)
    response = client.post(f"/orientations/{referral.pk}/confier/", {"assignee": value})
    assert response.status_code == 400
    assert "Choisissez une personne de votre organisation dans la liste." in _text(response)
    referral.refresh_from_db()
    assert referral.assigned_to_id is None


# -- periods of the indicators --------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"periode": "perso", "du": "0001-01-01", "au": "0001-02-01"}, DATE_MESSAGE),
        ({"periode": "perso", "du": "9999-12-01", "au": "9999-12-31"}, DATE_MESSAGE),
        ({"periode": "0001"}, "Période inconnue"),
        ({"periode": "9999-12"}, "Période inconnue"),
        ({"periode": "9999-T4"}, "Période inconnue"),
    ],
)
@pytest.mark.parametrize(
    "path", ["/indicateurs/", "/indicateurs/activite/", "/indicateurs/rapport/"]
)
def test_an_indicators_period_outside_1900_2100_is_a_french_error(client, path, params, message):
    client.force_login(MembershipFactory(coordinator=True).user)
    response = client.get(path, params)
    assert response.status_code in (200, 400)
    assert message in _text(response)


# -- id 0 in a path -------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/espace/mon-organisation/sites/0/", "/espace/offres/0/"])
def test_id_zero_in_a_path_is_not_found_rather_than_the_creation_form(client, path):
    client.force_login(MembershipFactory(manager=True).user)
    assert client.get(path).status_code == 404
