"""Every calendar file Maillage produces is read by three parsers and by a real client (khal).

Files: the public feed, an event's download, the registration emails (confirmation, offer,
reminder, update, own cancellation, event cancelled), a training session's enrolment, and the
meeting invitation, update and cancellation. A moved event keeps its UID with a higher
SEQUENCE in the feed and in the email, and khal replaces the entry it held from the email.
"""

import shutil
import subprocess
from datetime import timedelta

import ics as ics_py
import pytest
import vobject
from django.conf import settings
from icalendar import Calendar

from maillage.events import services as events
from maillage.events.enums import EventStatus
from maillage.events.models import Registration
from maillage.governance import services as governance
from maillage.training.services import sessions as training
from tests.events.factories import EventFactory
from tests.factories import MembershipFactory
from tests.governance.conftest import Committee
from tests.training.factories import make_session

pytestmark = pytest.mark.django_db

KHAL = shutil.which("khal")


def _attachments(mailoutbox):
    """(subject, content, mimetype) of each calendar attachment sent."""
    return [
        (message.subject, content, mimetype)
        for message in mailoutbox
        for _name, content, mimetype in message.attachments
        if mimetype.startswith("text/calendar")
    ]


def _check_parsers(text, *, method):
    """icalendar, vobject and ics read the file; RFC 5546 fields are there."""
    calendar = Calendar.from_ical(text)
    assert str(calendar["METHOD"]) == method
    (vevent,) = calendar.walk("VEVENT")
    for name in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "ORGANIZER", "SUMMARY"):
        assert name in vevent, f"{name} manque"
    assert str(vevent["ORGANIZER"]).startswith("mailto:")
    assert not str(vevent["UID"]).startswith("evenement-")
    parsed = vobject.readOne(text)
    assert parsed.vevent.uid.value == str(vevent["UID"])
    assert int(parsed.vevent.sequence.value) == int(vevent["SEQUENCE"])
    (other,) = ics_py.Calendar(text).events
    assert other.uid == str(vevent["UID"])
    return vevent


class Khal:
    """A throw-away khal configuration with one calendar folder."""

    def __init__(self, root):
        self.root = root
        (root / "calendar").mkdir()
        self.config = root / "khal.conf"
        self.config.write_text(
            "[calendars]\n[[maillage]]\n"
            f"path = {root / 'calendar'}\ntype = calendar\n"
            "[default]\ndefault_calendar = maillage\n"
            f"[sqlite]\npath = {root / 'khal.db'}\n"
            "[locale]\nlocal_timezone = Europe/Paris\ndefault_timezone = Europe/Paris\n"
            "timeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
            "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n",
            encoding="utf-8",
        )

    def run(self, *args):
        env = {"HOME": str(self.root), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
        return subprocess.run(
            [KHAL, "-c", str(self.config), *args],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
            check=False,
        )

    def import_text(self, text, name):
        path = self.root / name
        path.write_text(text, encoding="utf-8")
        result = self.run("import", "--batch", str(path))
        assert result.returncode == 0, result.stderr
        assert "error" not in result.stderr.lower(), result.stderr
        assert "warning" not in result.stderr.lower(), result.stderr
        return result

    def stored(self):
        """The VEVENTs khal keeps, parsed back."""
        found = []
        for path in sorted((self.root / "calendar").glob("*.ics")):
            found.extend(Calendar.from_ical(path.read_bytes()).walk("VEVENT"))
        return found


@pytest.fixture
def khal(tmp_path):
    if KHAL is None:
        pytest.skip("khal n'est pas installé (apt-get install khal, fait par .ci/run)")
    return Khal(tmp_path)


def _worker(run_worker, capture):
    for _ in range(10):
        with capture(execute=True) as callbacks:
            run_worker()
        if not callbacks:
            return


def test_every_event_and_session_calendar_file_parses_and_khal_accepts_it(
    client, mailoutbox, register, run_worker, django_capture_on_commit_callbacks, khal
):
    capture = django_capture_on_commit_callbacks
    event = EventFactory(capacity=1, online_url="https://visio.exemple.fr/salle")
    anna = register(event, "anna")
    register(event, "bilal")  # waiting list
    with capture(execute=True):
        events.registration_cancel(registration=anna)  # Bilal is offered the seat
    _worker(run_worker, capture)
    session = make_session()
    counsellor = MembershipFactory()
    with capture(execute=True):
        training.enrolment_create(actor=counsellor.user, membership=counsellor, session=session)
    manager = MembershipFactory(manager=True, organisation=event.lead_organisation)
    with capture(execute=True):
        events.event_update(
            actor=manager.user,
            event=event,
            starts_at=event.starts_at + timedelta(days=1),
            ends_at=event.ends_at + timedelta(days=1),
        )
    with capture(execute=True):
        events.event_transition(actor=manager.user, event=event, to_status=EventStatus.CANCELLED)
    _worker(run_worker, capture)

    files = _attachments(mailoutbox)
    subjects = {subject.split(" :")[0] for subject, _c, _m in files}
    assert {
        "Inscription confirmée",
        "Inscription annulée",
        "Une place s'est libérée",
        "Modification",
        "Évènement annulé",
    } <= subjects, subjects
    for index, (subject, content, mimetype) in enumerate(files):
        method = mimetype.split("method=")[1]
        vevent = _check_parsers(content, method=method)
        if method == "CANCEL":
            assert vevent["STATUS"] == "CANCELLED", subject
        khal.import_text(content, f"mail-{index}.ics")

    feed = client.get("/evenements/calendrier.ics")
    assert feed.status_code == 200
    download = client.get(f"/evenements/{event.pk}/evenement.ics")
    for response in (feed, download):
        text = response.content.decode()
        calendar = Calendar.from_ical(text)
        assert str(calendar["METHOD"]) == "PUBLISH"
        vobject.readOne(text)
        ics_py.Calendar(text)
        khal.import_text(text, "feed.ics")


def test_a_moved_event_keeps_its_uid_with_a_higher_sequence_in_feed_email_and_khal(
    client, mailoutbox, register, run_worker, django_capture_on_commit_callbacks, khal
):
    capture = django_capture_on_commit_callbacks
    event = EventFactory(capacity=5)
    register(event, "anna")
    _worker(run_worker, capture)
    ((_s, first, _m),) = _attachments(mailoutbox)
    khal.import_text(first, "confirmation.ics")
    (held,) = khal.stored()
    uid, sequence = str(held["UID"]), int(held["SEQUENCE"])
    assert uid == f"{event.ics_uid}@maillage"

    manager = MembershipFactory(manager=True, organisation=event.lead_organisation)
    new_start = event.starts_at + timedelta(days=2, hours=1)
    mailoutbox.clear()
    with capture(execute=True):
        events.event_update(
            actor=manager.user,
            event=event,
            starts_at=new_start,
            ends_at=new_start + timedelta(hours=2),
            venue="Cité des métiers, salle 2",
        )
    _worker(run_worker, capture)
    # Told once, whatever the worker does again.
    (update,) = [m for m in mailoutbox if m.subject.startswith("Modification")]
    assert update.to == ["anna@exemple.fr"]
    assert "l'horaire, le lieu" in update.body
    ((_s, second, mimetype),) = _attachments(mailoutbox)
    assert mimetype == "text/calendar; method=REQUEST"
    # On the wire (iMIP, RFC 6047): the calendar part carries the method parameter.
    (part,) = [p for p in update.message().walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST" and part.get_param("charset") == "utf-8"
    moved = _check_parsers(second, method="REQUEST")
    assert str(moved["UID"]) == uid and int(moved["SEQUENCE"]) > sequence

    # The feed says the same SEQUENCE as the email for the same UID.
    feed = Calendar.from_ical(client.get("/evenements/calendrier.ics").content)
    (in_feed,) = [v for v in feed.walk("VEVENT") if str(v["UID"]) == uid]
    assert int(in_feed["SEQUENCE"]) == int(moved["SEQUENCE"])

    # The calendar that held the emailed copy now holds the moved one, once.
    khal.import_text(second, "update.ics")
    (held,) = khal.stored()
    assert held.decoded("DTSTART") == new_start
    assert "Cité des métiers" in str(held["LOCATION"])
    listed = khal.run("list", new_start.strftime("%Y-%m-%d"), "2d", "--format", "{title}")
    assert event.title in listed.stdout


def test_a_registrant_cancelling_gets_a_cancel_with_a_raised_sequence(
    mailoutbox, register, run_worker, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    event = EventFactory(capacity=5)
    anna = register(event, "anna")
    with capture(execute=True):
        events.registration_cancel(registration=Registration.objects.get(pk=anna.pk))
    _worker(run_worker, capture)
    by_subject = {s.split(" :")[0]: Calendar.from_ical(c) for s, c, _m in _attachments(mailoutbox)}
    (request,) = by_subject["Inscription confirmée"].walk("VEVENT")
    (cancel,) = by_subject["Inscription annulée"].walk("VEVENT")
    assert str(by_subject["Inscription annulée"]["METHOD"]) == "CANCEL"
    assert str(cancel["UID"]) == str(request["UID"])
    assert int(cancel["SEQUENCE"]) > int(request["SEQUENCE"])


def test_meeting_invitation_update_and_cancellation_parse_and_replies_reach_the_secretary(
    mailoutbox, run_worker, django_capture_on_commit_callbacks, khal
):
    capture = django_capture_on_commit_callbacks
    gov = Committee()
    with capture(execute=True):
        meeting = gov.schedule()
    secretary = gov.membership(gov.secretary)
    with capture(execute=True):
        governance.meeting_update(
            actor=gov.secretary.user,
            membership=secretary,
            meeting=meeting,
            starts_at=meeting.starts_at + timedelta(hours=1),
            ends_at=meeting.ends_at + timedelta(hours=1),
        )
    with capture(execute=True):
        governance.meeting_cancel(
            actor=gov.secretary.user, membership=secretary, meeting=meeting, reason="Grève"
        )
    _worker(run_worker, capture)
    files = _attachments(mailoutbox)
    methods = [m.split("method=")[1] for _s, _c, m in files]
    assert set(methods) == {"REQUEST", "CANCEL"}
    sequences = set()
    for index, (_subject, content, mimetype) in enumerate(files):
        vevent = _check_parsers(content, method=mimetype.split("method=")[1])
        assert str(vevent["ORGANIZER"]) == f"mailto:{gov.secretary.user.email}"
        sequences.add(int(vevent["SEQUENCE"]))
        khal.import_text(content, f"meeting-{index}.ics")
    assert sequences == {0, 1, 2}
    for message in mailoutbox:
        assert message.reply_to == [gov.secretary.user.email]
    assert settings.SITE_URL in mailoutbox[0].body
