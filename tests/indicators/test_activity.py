"""Events, training, governance and routing figures (read from their own small tables)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from maillage.events.models import Event, EventOrganiser, Registration
from maillage.governance.models import Action, Committee
from maillage.partners.models import Convention
from maillage.routing.models import DecisionCount, DecisionLog
from maillage.training.models.sessions import TrainingSession
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.indicators.conftest import PERIOD, bearer, page_tables, row_of
from tests.indicators.factories import local

pytestmark = pytest.mark.django_db
DAY = date(2025, 3, 12)


def _event(lead, *others, capacity=20, title="Forum", kind="forum"):
    event = Event.objects.create(
        title=title, kind=kind, status="held", starts_at=local(DAY, 14),
        ends_at=local(DAY, 17), capacity=capacity, lead_organisation=lead,
    )  # fmt: skip
    EventOrganiser.objects.create(event=event, organisation=lead, is_lead=True, counsellors=3,
                                  hours=6, room="Salle A")  # fmt: skip
    for other in others:
        EventOrganiser.objects.create(event=event, organisation=other, counsellors=2, hours=4,
                                      stand=True)  # fmt: skip
    return event


def _registrations(event, statuses, *, waitlisted=0, user_of=None):
    for index, status in enumerate(statuses):
        Registration.objects.create(
            event=event,
            status=status,
            first_name="P",
            last_name=str(index),
            email=f"p{event.pk}-{index}@exemple.fr",
            waitlisted_at=timezone.now() if index < waitlisted else None,
            user=user_of(index) if user_of else None,
        )


@pytest.fixture
def activity(db):
    alpha = OrganisationFactory(name="Alpha Conseil", slug="alpha")
    beta = OrganisationFactory(name="Beta Orientation", slug="beta")
    forum = _event(alpha, beta)
    # 12 came, 3 did not, 1 cancelled; 4 of them came from the waiting list (3 got a seat).
    _registrations(forum, ["attended"] * 12 + ["no_show"] * 3 + ["cancelled"], waitlisted=4)
    Registration.objects.filter(event=forum, status="cancelled").update(
        waitlisted_at=timezone.now()
    )
    return {"alpha": alpha, "beta": beta, "forum": forum}


def test_events_per_co_organiser_with_fill_attendance_and_no_show_rates(client, activity):
    coordinator = MembershipFactory(coordinator=True)
    client.force_login(coordinator.user)
    html = client.get("/indicateurs/activite/", PERIOD).content.decode()
    events = page_tables(html)["evenements"]
    header = events[0]
    for name in ("Alpha Conseil", "Beta Orientation"):
        row = row_of(events, name)
        assert row[header.index("Évènements")] == "1"
        assert row[header.index("Inscriptions")] == "15"
        assert row[header.index("Taux de remplissage")] == "75,0 %"  # 15 of 20 seats
        assert row[header.index("Présents")] == "12"
        assert row[header.index("Absents")] == "< 5"
        assert row[header.index("Taux de présence")] == "—"  # would give the 3 no-shows away
    contributions = page_tables(html)["contributions"]
    alpha = row_of(contributions, "Alpha Conseil")
    assert alpha[1:] == ["1", "1", "3", "6,0", "1", "0", "0"]
    beta = row_of(contributions, "Beta Orientation")
    assert beta[1:] == ["1", "0", "2", "4,0", "0", "1", "0"]


def test_each_person_present_is_credited_to_the_operator_that_sent_them(client, activity):
    alpha, beta, forum = activity["alpha"], activity["beta"], activity["forum"]
    present = Registration.objects.filter(event=forum, status="attended").order_by("pk")
    Registration.objects.filter(pk__in=[r.pk for r in present[:7]]).update(
        sent_by_organisation=alpha
    )
    Registration.objects.filter(pk__in=[r.pk for r in present[7:12]]).update(
        sent_by_organisation=beta
    )
    client.force_login(MembershipFactory(coordinator=True).user)
    html = client.get("/indicateurs/activite/", PERIOD).content.decode()
    contributions = page_tables(html)["contributions"]
    column = contributions[0].index("Présents qu'il a orientés")
    # 7 + 5 = the 12 present, each counted once: not 12 for each co-organiser.
    assert row_of(contributions, "Alpha Conseil")[column] == "7"
    assert row_of(contributions, "Beta Orientation")[column] == "5"


def test_a_manager_sees_only_the_events_their_operator_co_organised(client, activity):
    gamma = OrganisationFactory(name="Gamma Emploi", slug="gamma")
    _event(gamma, title="Atelier de Gamma")
    manager = MembershipFactory(manager=True, organisation=gamma)
    client.force_login(manager.user)
    events = page_tables(client.get("/indicateurs/activite/", PERIOD).content.decode())[
        "evenements"
    ]
    assert [row[0] for row in events[1:]] == [
        "Gamma Emploi",
        "Ensemble du partenariat (chaque évènement une fois)",
    ]


def test_the_training_matrix_says_who_trained_whose_counsellors(client, activity):
    alpha, beta = activity["alpha"], activity["beta"]
    session_event = _event(alpha, title="Marché du travail", kind="training", capacity=30)
    session = TrainingSession.objects.create(event=session_event, theme="marche_emploi", hours=3)
    session.hosts.add(alpha)
    learners = [MembershipFactory(organisation=beta).user for _ in range(6)]
    _registrations(session_event, ["attended"] * 6, user_of=lambda i: learners[i])
    coordinator = MembershipFactory(coordinator=True)
    client.force_login(coordinator.user)
    tables = page_tables(client.get("/indicateurs/activite/", PERIOD).content.decode())
    summary = row_of(tables["formation"], "Alpha Conseil")
    assert summary[1:] == ["1", "6", "18,0"]  # 1 session, 6 present, 6 people, 3 hours each
    matrix = tables["matrice-formation"]
    assert matrix[0][1:] == ["Beta Orientation"]
    assert row_of(matrix, "Alpha Conseil")[1:] == ["6"]
    # The training session is not counted among the events.
    assert "Marché du travail" not in str(tables["evenements"])


def test_governance_actions_done_open_and_overdue_per_committee(client, activity):
    convention = Convention.objects.create(
        slug="conv", title="Convention", region_code="11", signed_on=date(2019, 2, 28),
        valid_from=date(2019, 1, 1),
    )  # fmt: skip
    copil = Committee.objects.create(
        slug="copil", name="Comité de pilotage", code="COPIL", kind="steering",
        convention=convention,
    )  # fmt: skip
    today = timezone.localdate()
    for status, due, closed in [
        ("done", today, DAY),
        ("open", today - timedelta(days=3), None),
        ("in_progress", today + timedelta(days=10), None),
    ]:
        Action.objects.create(
            committee=copil, title=status, owner_organisation=activity["alpha"], due_on=due,
            status=status, progress=100 if status == "done" else 0, closed_on=closed,
        )  # fmt: skip
    coordinator = MembershipFactory(coordinator=True)
    client.force_login(coordinator.user)
    governance = page_tables(client.get("/indicateurs/activite/", PERIOD).content.decode())[
        "gouvernance"
    ]
    row = row_of(governance, "Comité de pilotage")
    assert row[2:] == ["1", "2", "1"]  # done in March 2025, open now, of which overdue


def test_routing_decisions_are_counted_per_suggested_operator(client, activity):
    for channel, count in (("public", 40), ("counsellor", 7), ("api", 1)):
        DecisionCount.objects.create(
            day=DAY, primary="alpha", rule="R5", channel=channel, count=count
        )
    DecisionCount.objects.create(day=DAY, primary="beta", rule="R7", channel="public", count=2)
    headers = bearer(MembershipFactory(coordinator=True))
    body = client.get(
        "/api/v1/indicators/tables/aiguillage",
        {"from": "2025-03-01", "to": "2025-03-31"},
        headers=headers,
    ).json()
    rows = {row[0]: row[1:] for row in body["rows"]}
    assert rows["Alpha Conseil"] == [40, 8, 48]
    assert rows["Beta Orientation"] == [None, 0, None]  # 2: hidden


def test_decisions_not_yet_folded_by_the_worker_are_counted_too(client, activity):
    DecisionCount.objects.create(day=DAY, primary="alpha", rule="R5", channel="public", count=40)
    DecisionLog.objects.bulk_create(
        [DecisionLog(day=DAY, primary="alpha", rule="R5", channel="api") for _ in range(6)]
        + [DecisionLog(day=date(2025, 4, 1), primary="alpha", rule="R5", channel="api")]
    )
    headers = bearer(MembershipFactory(coordinator=True))
    body = client.get(
        "/api/v1/indicators/tables/aiguillage",
        {"from": "2025-03-01", "to": "2025-03-31"},
        headers=headers,
    ).json()
    assert {row[0]: row[1:] for row in body["rows"]}["Alpha Conseil"] == [40, 6, 46]


def test_no_personal_data_in_the_activity_page(client, activity):
    Registration.objects.filter(event=activity["forum"]).update(last_name="Dupont-Secret")
    UserFactory(email="secret@exemple.fr")
    client.force_login(MembershipFactory(coordinator=True).user)
    html = client.get("/indicateurs/activite/", PERIOD).content.decode()
    assert "Dupont-Secret" not in html and "@exemple.fr" not in html
