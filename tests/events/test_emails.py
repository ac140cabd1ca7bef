"""Emails carry a valid calendar file and a working signed link; a tampered link is refused."""

import html
from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from maillage.core.french import datetime_fr
from maillage.events import services
from maillage.events.enums import RegistrationStatus as RS
from maillage.events.models import Registration
from maillage.events.tasks import reminders_send, surveys_send
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db


def _ics(message):
    files = [a for a in message.attachments if a[0] == "evenement.ics"]
    assert len(files) == 1, f"pas de .ics dans « {message.subject} »"
    _filename, content, mimetype = files[0]
    calendar = Calendar.from_ical(content)
    # iMIP: the attachment says the same method as the calendar inside it.
    assert mimetype == f"text/calendar; method={calendar['method']}"
    return calendar, calendar.walk("VEVENT")[0]


def _link_path(message, settings):
    line = next(line for line in message.body.splitlines() if "/evenements/inscription/" in line)
    assert line.startswith(settings.SITE_URL)
    return line.strip()[len(settings.SITE_URL) :]


def _mail(mailoutbox, subject_start, to):
    found = [m for m in mailoutbox if m.subject.startswith(subject_start) and m.to == [to]]
    assert len(found) == 1, [(m.subject, m.to) for m in mailoutbox]
    return found[0]


def test_confirmation_email_has_the_event_in_a_calendar_file_and_a_working_link(
    register, work, mailoutbox, client, settings
):
    event = EventFactory(online_url="https://visio.exemple.fr/salle", capacity=3)
    register(event, "anna")
    work()
    message = _mail(mailoutbox, "Inscription confirmée", "anna@exemple.fr")
    calendar, vevent = _ics(message)
    assert str(calendar["method"]) == "REQUEST"
    assert str(vevent["summary"]) == event.title
    assert vevent.decoded("dtstart") == event.starts_at
    assert vevent.decoded("dtend") == event.ends_at
    # The online link is for registrants: in their email and their calendar entry.
    assert "https://visio.exemple.fr/salle" in str(vevent["location"])
    assert "https://visio.exemple.fr/salle" in message.body

    page = client.get(_link_path(message, settings))
    assert page.status_code == 200
    assert "Confirmée" in page.content.decode()
    assert "Annuler mon inscription" in page.content.decode()


def test_the_link_cancels_and_cancelling_twice_is_harmless(
    register, work, mailoutbox, client, settings
):
    event = EventFactory(capacity=1)
    register(event, "anna")
    register(event, "bilal")
    work()
    path = _link_path(_mail(mailoutbox, "Inscription confirmée", "anna@exemple.fr"), settings)
    for _ in range(2):
        response = client.post(path + "annuler", follow=True)
        assert response.status_code == 200
    assert "Votre inscription est annulée" in response.content.decode()
    assert Registration.objects.get(email="anna@exemple.fr").status == RS.CANCELLED
    assert Registration.objects.get(email="bilal@exemple.fr").status == RS.OFFERED


def test_a_tampered_or_foreign_link_is_refused(register, work, mailoutbox, client, settings):
    event = EventFactory(capacity=3)
    register(event, "anna")
    work()
    path = _link_path(_mail(mailoutbox, "Inscription confirmée", "anna@exemple.fr"), settings)
    token = path.rstrip("/").rsplit("/", 1)[1]
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    response = client.get(f"/evenements/inscription/{tampered}/")
    assert response.status_code == 400
    assert "Ce lien n'est pas valide." in html.unescape(response.content.decode())
    response = client.post(f"/evenements/inscription/{tampered}/annuler")
    assert response.status_code == 400
    assert Registration.objects.get(email="anna@exemple.fr").status == RS.CONFIRMED
    # A token signed for another purpose is refused too.
    from maillage.core.signing import make_token

    other = make_token([1, event.pk], purpose="accounts.invitation")
    assert client.get(f"/evenements/inscription/{other}/").status_code == 400


def test_offer_email_has_the_deadline_a_calendar_file_and_the_link_confirms(
    register, work, mailoutbox, client, settings, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=1, offer_hours=24)
    first = register(event, "anna")
    register(event, "bilal")
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=first)
    work()
    message = _mail(mailoutbox, "Une place s'est libérée", "bilal@exemple.fr")
    offered = Registration.objects.get(email="bilal@exemple.fr")
    deadline = timezone.localtime(offered.offer_expires_at)
    assert f"avant le {datetime_fr(deadline, weekday=True)}" in message.body
    _calendar, vevent = _ics(message)
    assert vevent.decoded("dtstart") == event.starts_at
    path = _link_path(message, settings)
    assert "Je confirme ma place" in client.get(path).content.decode()
    response = client.post(path + "confirmer", follow=True)
    assert "Votre place est confirmée" in response.content.decode()
    offered.refresh_from_db()
    assert offered.status == RS.CONFIRMED


def test_reminder_goes_once_with_a_calendar_file_and_the_link(
    register, work, mailoutbox, client, settings, django_capture_on_commit_callbacks
):
    event = EventFactory(
        capacity=5,
        reminder_days=2,
        starts_at=timezone.now().replace(microsecond=0) + timedelta(days=1),
    )
    register(event, "anna")
    later = EventFactory(capacity=5, reminder_days=2, starts_at=timezone.now() + timedelta(days=5))
    register(later, "bilal")
    work()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send() == 1
        assert reminders_send() == 0  # idempotent: already sent
    work()
    message = _mail(mailoutbox, "Rappel", "anna@exemple.fr")
    assert len(mailoutbox) == 1
    _calendar, vevent = _ics(message)
    assert str(vevent["summary"]) == event.title
    assert client.get(_link_path(message, settings)).status_code == 200


def test_survey_after_the_event_records_a_rating(
    register, work, mailoutbox, client, settings, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=5)
    came = register(event, "anna")
    register(event, "bilal")
    Registration.objects.filter(pk=came.pk).update(status=RS.ATTENDED)
    Registration.objects.filter(email="bilal@exemple.fr").update(status=RS.NO_SHOW)
    type(event).objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(hours=5), ends_at=timezone.now() - timedelta(hours=2)
    )
    work()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert surveys_send() == 1
        assert surveys_send() == 0
    work()
    message = _mail(mailoutbox, "Votre avis", "anna@exemple.fr")
    path = _link_path(message, settings)
    response = client.post(path + "avis", {"rating": "4", "comment": "Très utile"}, follow=True)
    assert "Merci pour votre avis" in response.content.decode()
    came.refresh_from_db()
    assert (came.survey_rating, came.survey_comment) == (4, "Très utile")
    response = client.post(path + "avis", {"rating": "9"}, follow=True)
    came.refresh_from_db()
    assert came.survey_rating == 4


def test_the_waiting_list_email_tells_each_person_their_true_place_in_the_queue(
    register, work, mailoutbox
):
    # The place is taken from the seat ledger under the event lock: it must be the one the
    # person's own page shows at that moment (`waitlist_position`), including for someone who
    # registers again after cancelling (their old row goes to the back of the queue).
    event = EventFactory(capacity=1)
    register(event, "anna")
    told = {}
    for person in ("bilal", "chen", "bilal", "dora"):
        if person == "bilal" and person in told:
            services.registration_cancel(
                registration=Registration.objects.get(email="bilal@exemple.fr")
            )
        registration = register(event, person)
        work()
        mails = [
            m
            for m in mailoutbox
            if m.subject.startswith("Liste d'attente") and m.to == [f"{person}@exemple.fr"]
        ]
        told[person] = mails[-1].body
        assert f"en position {services.waitlist_position(registration)}." in told[person]
    assert "en position 2." in told["bilal"]  # behind chen, who had waited longer
    assert "en position 3." in told["dora"]
