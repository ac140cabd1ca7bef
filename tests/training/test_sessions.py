"""Sessions on the events engine: publication, enrolment by oneself or a manager, waiting list."""

import pytest

from maillage.core.errors import Forbidden
from maillage.core.models import AuditEntry
from maillage.events.enums import Audience, EventKind, RegistrationStatus
from maillage.training.services import sessions as services
from tests.factories import MembershipFactory
from tests.training.factories import make_session

pytestmark = pytest.mark.django_db
RS = RegistrationStatus


def test_a_manager_publishes_a_members_only_training_event_hosted_by_their_operator():
    manager = MembershipFactory(manager=True)
    session = make_session(publisher=manager)
    event = session.event
    assert event.kind == EventKind.TRAINING and event.audience == Audience.MEMBERS
    assert event.status == "published"
    assert list(session.hosts.all()) == [manager.organisation]
    assert session.hours == 3
    assert AuditEntry.objects.filter(action="training.session.created").exists()


def test_a_counsellor_cannot_publish_a_session():
    with pytest.raises(Forbidden):
        make_session(publisher=MembershipFactory())


def test_a_counsellor_enrols_and_the_invitation_carries_an_ics(
    client, mailoutbox, django_capture_on_commit_callbacks, run_worker
):
    session = make_session()
    counsellor = MembershipFactory()
    client.force_login(counsellor.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/espace/formations/{session.pk}/inscription/", follow=True)
    assert "inscrit·e" in response.content.decode()
    run_worker()
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [counsellor.user.email]
    assert any(
        name.endswith(".ics") and "BEGIN:VEVENT" in content
        for name, content, _ in message.attachments
    )
    registration = session.event.registrations.get()
    assert registration.status == RS.CONFIRMED
    assert registration.sent_by_organisation == counsellor.organisation


def test_a_full_session_puts_the_next_person_on_the_waiting_list():
    session = make_session(capacity=1)
    first, second = MembershipFactory(), MembershipFactory()
    assert (
        services.enrolment_create(actor=first.user, membership=first, session=session).status
        == RS.CONFIRMED
    )
    assert (
        services.enrolment_create(actor=second.user, membership=second, session=session).status
        == RS.WAITLISTED
    )


def test_a_manager_enrols_their_members_but_not_another_operators(client):
    session = make_session()
    manager = MembershipFactory(manager=True)
    colleague = MembershipFactory(organisation=manager.organisation)
    stranger = MembershipFactory()
    client.force_login(manager.user)
    client.post(f"/espace/formations/{session.pk}/inscription/", {"member": colleague.pk})
    registration = session.event.registrations.get()
    assert registration.user == colleague.user and registration.sent_by == manager.user
    response = client.post(f"/espace/formations/{session.pk}/inscription/", {"member": stranger.pk})
    assert response.status_code == 404
    assert session.event.registrations.count() == 1
    with pytest.raises(Forbidden):
        services.enrolment_create(
            actor=manager.user, membership=manager, session=session, member=stranger
        )


def test_a_counsellor_cannot_enrol_someone_else():
    session = make_session()
    counsellor = MembershipFactory()
    colleague = MembershipFactory(organisation=counsellor.organisation)
    with pytest.raises(Forbidden):
        services.enrolment_create(
            actor=counsellor.user, membership=counsellor, session=session, member=colleague
        )


def test_sessions_are_for_members_only(client):
    session = make_session()
    response = client.get(f"/espace/formations/{session.pk}/")
    assert response.status_code == 302 and "/connexion/" in response["Location"]


def test_cancelling_offers_the_seat_to_the_next_person():
    session = make_session(capacity=1)
    first, second = MembershipFactory(), MembershipFactory()
    taken = services.enrolment_create(actor=first.user, membership=first, session=session)
    waiting = services.enrolment_create(actor=second.user, membership=second, session=session)
    services.enrolment_cancel(actor=first.user, membership=first, registration=taken)
    waiting.refresh_from_db()
    assert waiting.status == RS.OFFERED


def test_a_host_cancels_the_session_and_everyone_enrolled_is_released():
    manager = MembershipFactory(manager=True)
    session = make_session(publisher=manager)
    member = MembershipFactory()
    registration = services.enrolment_create(actor=member.user, membership=member, session=session)
    outsider = MembershipFactory(manager=True)
    with pytest.raises(Forbidden):
        services.session_cancel(actor=outsider.user, membership=outsider, session=session)
    services.session_cancel(
        actor=manager.user, membership=manager, session=session, message="Intervenant malade"
    )
    registration.refresh_from_db()
    assert registration.status == RS.CANCELLED
    session.event.refresh_from_db()
    assert session.event.status == "cancelled"
    assert AuditEntry.objects.filter(action="training.session.cancelled").exists()


def test_the_session_page_shows_seats_quotas_and_the_managers_team(client):
    afdas = MembershipFactory(manager=True).organisation
    session = make_session(capacity=6, quotas={afdas: 2})
    colleague = MembershipFactory(organisation=afdas)
    services.enrolment_create(actor=colleague.user, membership=colleague, session=session)
    manager = MembershipFactory(manager=True, organisation=afdas)
    client.force_login(manager.user)
    page = client.get(f"/espace/formations/{session.pk}/").content.decode()
    assert "5 places libres" in page
    assert f"{afdas.name} : 2" in page
    assert colleague.user.last_name in page  # their team, enrolled
    assert "Inscrire un membre" in page


def test_a_coordinator_publishes_from_the_form_with_hosts_quotas_and_resources(client):
    from maillage.training.models import TrainingSession
    from tests.training.factories import make_resource

    coordinator = MembershipFactory(coordinator=True)
    afdas = MembershipFactory(manager=True).organisation
    cheops = MembershipFactory(manager=True).organisation
    resource = make_resource(title="Fiche offre Cap emploi")
    client.force_login(coordinator.user)
    form = {
        "title": "L'offre de service de Cap emploi",
        "theme": "offre_service",
        "hosts": [cheops.pk],
        "starts_at": "2030-03-12T09:30",
        "ends_at": "2030-03-12T12:30",
        "venue": "Cap emploi Paris",
        "capacity": "6",
        f"quota_{afdas.slug}": "3",
        "resources": [resource.pk],
    }
    too_many = client.post("/espace/formations/nouvelle/", {**form, f"quota_{cheops.slug}": "4"})
    assert "dépassent le nombre de places" in too_many.content.decode()
    response = client.post("/espace/formations/nouvelle/", form)
    session = TrainingSession.objects.get()
    assert response.status_code == 302 and response["Location"] == session.get_absolute_url()
    assert list(session.hosts.all()) == [cheops]
    assert session.hours == 3 and list(session.resources.all()) == [resource]
    assert [(q.organisation, q.seats) for q in session.event.quotas.all()] == [(afdas, 3)]
    # The cheops manager hosts it: they may check in; the resource page links the session.
    assert services.can_check_in(MembershipFactory(organisation=cheops), session)
    page = client.get(resource.get_absolute_url()).content.decode()
    assert "Utilisée dans les sessions" in page and session.get_absolute_url() in page
