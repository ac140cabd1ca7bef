"""Check-in by the hosts, certificates only for those present, ratings, histories."""

from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from maillage.core.errors import DomainError, Forbidden
from maillage.core.french import date_fr
from maillage.events.enums import RegistrationStatus
from maillage.events.models import Event
from maillage.training import certificates
from maillage.training.services import sessions as services
from tests.factories import MembershipFactory
from tests.pdfcheck import assert_real_tagged_pdf
from tests.training.factories import make_session

pytestmark = pytest.mark.django_db
RS = RegistrationStatus


@pytest.fixture
def host():
    return MembershipFactory(manager=True)


@pytest.fixture
def session(host):
    return make_session(publisher=host)


def _enrol(session):
    member = MembershipFactory()
    registration = services.enrolment_create(actor=member.user, membership=member, session=session)
    return member, registration


def _mark(host, session, registration, present):
    return services.attendance_mark(
        actor=host.user,
        membership=host,
        session=session,
        registration=registration,
        present=present,
    )


def _end(session):
    past = timezone.now() - timedelta(days=1)
    Event.objects.filter(pk=session.event_id).update(
        starts_at=past - timedelta(hours=3), ends_at=past
    )


def test_a_host_marks_present_and_absent_from_the_check_in_page(client, host, session):
    present_member, present = _enrol(session)
    _absent_member, absent = _enrol(session)
    client.force_login(host.user)
    page = client.get(f"/espace/formations/{session.pk}/pointage/").content.decode()
    assert str(present_member.user.last_name) in page
    client.post(
        f"/espace/formations/{session.pk}/pointage/", {"registration": present.pk, "present": "1"}
    )
    client.post(
        f"/espace/formations/{session.pk}/pointage/", {"registration": absent.pk, "present": "0"}
    )
    present.refresh_from_db()
    absent.refresh_from_db()
    assert present.status == RS.ATTENDED and present.checked_in_at is not None
    assert absent.status == RS.NO_SHOW


def test_someone_outside_the_hosts_cannot_check_in(client, session):
    _member, registration = _enrol(session)
    outsider = MembershipFactory(manager=True)
    client.force_login(outsider.user)
    assert client.get(f"/espace/formations/{session.pk}/pointage/").status_code == 404
    with pytest.raises(Forbidden):
        _mark(outsider, session, registration, True)
    registration.refresh_from_db()
    assert registration.status == RS.CONFIRMED


def test_the_certificate_is_a_pdf_only_for_those_marked_present(client, host, session):
    present_member, present = _enrol(session)
    absent_member, absent = _enrol(session)
    confirmed_member, _confirmed = _enrol(session)
    _mark(host, session, present, True)
    _mark(host, session, absent, False)
    url = f"/espace/formations/{session.pk}/attestation/"

    client.force_login(present_member.user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF-")

    for member in (absent_member, confirmed_member, MembershipFactory()):
        client.force_login(member.user)
        assert client.get(url).status_code == 404


def test_the_certificate_service_refuses_anyone_not_present(host, session):
    _member, registration = _enrol(session)
    with pytest.raises(DomainError, match="présentes"):
        certificates.certificate_pdf(session, registration)
    _mark(host, session, registration, True)
    registration.refresh_from_db()
    assert certificates.certificate_pdf(session, registration).startswith(b"%PDF-")


def test_the_certificate_names_the_person_the_session_and_the_hours(host, session):
    member, registration = _enrol(session)
    _mark(host, session, registration, True)
    registration.refresh_from_db()
    context = certificates.certificate_context(session, registration)
    assert context["person"] == f"{member.user.first_name} {member.user.last_name}"
    assert context["title"] == session.event.title
    assert context["hours"] == "3" and host.organisation.name in context["hosts"]
    # The PDF itself, read back as a person's PDF reader does: tagged, with that text.
    assert_real_tagged_pdf(
        certificates.certificate_pdf(session, registration),
        "Attestation de présence",
        context["person"],
        session.event.title,
        date_fr(session.event.starts_at),
        "3 heure(s) de formation",
    )


def test_a_participant_rates_the_session_once_it_is_over(client, host, session):
    member, registration = _enrol(session)
    _mark(host, session, registration, True)
    _end(session)
    client.force_login(member.user)
    client.post(f"/espace/formations/{session.pk}/avis/", {"rating": "4", "comment": "Concret"})
    registration.refresh_from_db()
    assert registration.survey_rating == 4 and registration.survey_comment == "Concret"
    # The hosts read the average and the comments; the participant does not see that block.
    assert "Avis des participants" not in client.get(session.get_absolute_url()).content.decode()
    client.force_login(host.user)
    page = unescape(client.get(session.get_absolute_url()).content.decode())
    assert "4,0 / 5 en moyenne (1 avis)" in page and "« Concret »" in page


def test_someone_absent_cannot_rate(host, session):
    member, registration = _enrol(session)
    _mark(host, session, registration, False)
    _end(session)
    registration.refresh_from_db()
    with pytest.raises(DomainError, match="présentes"):
        services.session_rate(actor=member.user, registration=registration, rating=5)


def test_a_counsellor_sees_their_history_and_a_manager_their_teams(client, host, session):
    member, registration = _enrol(session)
    _mark(host, session, registration, True)
    client.force_login(member.user)
    page = unescape(client.get("/espace/formations/historique/").content.decode())
    assert session.event.title in page and "attestation" in page
    manager = MembershipFactory(manager=True, organisation=member.organisation)
    client.force_login(manager.user)
    export = client.get("/espace/formations/historique/?format=csv")
    assert export["Content-Type"].startswith("text/csv")
    text = export.getvalue().decode("utf-8-sig")
    assert member.user.last_name in text and session.event.title in text
    other = MembershipFactory(manager=True)
    client.force_login(other.user)
    text = client.get("/espace/formations/historique/?format=csv").getvalue().decode("utf-8-sig")
    assert member.user.last_name not in text
