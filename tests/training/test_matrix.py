"""The training matrix: its totals equal the attendance records, cell by cell and overall."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from maillage.events.enums import RegistrationStatus
from maillage.events.models import Event, Registration
from maillage.training.selectors.matrix import training_matrix
from maillage.training.services import sessions as services
from tests.factories import MembershipFactory, OrganisationFactory
from tests.training.factories import make_session

pytestmark = pytest.mark.django_db
RS = RegistrationStatus


@pytest.fixture
def world():
    """Three operators; sessions hosted by A, by B, and by A with B; mixed attendance."""
    a, b, c = (OrganisationFactory(name=f"Opérateur {x}") for x in "ABC")
    manager_a = MembershipFactory(manager=True, organisation=a)
    manager_b = MembershipFactory(manager=True, organisation=b)
    people = {org: [MembershipFactory(organisation=org) for _ in range(3)] for org in (a, b, c)}
    s1 = make_session(publisher=manager_a, title="S1", hours=Decimal("3"))
    s2 = make_session(publisher=manager_b, title="S2", hours=Decimal("7"))
    s3 = make_session(publisher=manager_a, hosts=[a, b], title="S3", hours=Decimal("2.5"))
    plan = {
        s1: [
            (people[b][0], True),
            (people[b][1], True),
            (people[c][0], True),
            (people[c][1], False),
        ],
        s2: [(people[a][0], True), (people[c][0], True), (people[c][2], True)],
        s3: [(people[c][0], True), (people[b][0], True), (people[a][1], False)],
    }
    for session, attendees in plan.items():
        for member, present in attendees:
            registration = services.enrolment_create(
                actor=member.user, membership=member, session=session
            )
            services.attendance_mark(
                actor=manager_a.user if session is not s2 else manager_b.user,
                membership=manager_a if session is not s2 else manager_b,
                session=session,
                registration=registration,
                present=present,
            )
    # Someone confirmed but never checked in: not an attendance.
    services.enrolment_create(actor=people[c][1].user, membership=people[c][1], session=s2)
    return {"a": a, "b": b, "c": c, "sessions": (s1, s2, s3)}


def _attendances():
    return Registration.objects.filter(
        status=RS.ATTENDED, event__training_session__isnull=False
    ).select_related("event__training_session")


def test_totals_match_the_attendance_records(world):
    matrix = training_matrix()
    records = list(_attendances())
    total = matrix.total.as_dict()
    assert total["attendances"] == len(records) == 8
    assert total["hours"] == sum(r.event.training_session.hours for r in records) == Decimal("35")
    assert total["people"] == len({r.user_id for r in records})
    assert total["sessions"] == len({r.event_id for r in records}) == 3
    # Each participants' operator: its column total is its own attendance records.
    for org in (world["a"], world["b"], world["c"]):
        mine = [r for r in records if r.sent_by_organisation_id == org.pk]
        column = matrix.participant_totals[org.pk].as_dict()
        assert column["attendances"] == len(mine)
        assert column["hours"] == sum(r.event.training_session.hours for r in mine)


def test_each_cell_counts_what_a_host_gave_an_operator(world):
    matrix = training_matrix()
    a, b, c = world["a"], world["b"], world["c"]
    cell = matrix.cells[(a.pk, c.pk)].as_dict()
    # C's counsellors at A: S1 (two present: c0; c1 absent → one) and S3 (c0).
    assert cell == {"sessions": 2, "people": 1, "attendances": 2, "hours": Decimal("5.5")}
    # The co-hosted S3 credits B as well.
    assert matrix.cells[(b.pk, c.pk)].as_dict()["hours"] == Decimal("7") * 2 + Decimal("2.5")
    # The sum of the cells of a single-host world would equal the total; co-hosting adds S3
    # once more per extra host, never to the grand total.
    cells_hours = sum(cell.hours for cell in matrix.cells.values())
    s3_hours = Decimal("2.5") * 2  # c0 and b0 present at S3
    assert cells_hours == matrix.total.hours + s3_hours


def test_the_period_filters_on_the_session_date(world):
    s1 = world["sessions"][0]
    past = timezone.now() - timedelta(days=60)
    Event.objects.filter(pk=s1.event_id).update(starts_at=past, ends_at=past + timedelta(hours=3))
    recent = training_matrix(date_from=(timezone.now() - timedelta(days=30)).date())
    assert recent.total.attendances == 5
    old = training_matrix(date_to=(timezone.now() - timedelta(days=30)).date())
    assert old.total.attendances == 3


def test_the_matrix_page_and_its_exports(client, world):
    coordinator = MembershipFactory(coordinator=True)
    client.force_login(coordinator.user)
    page = client.get("/espace/formations/matrice/").content.decode()
    assert "Opérateur A" in page and "8 présences" in page and "35,0 h" in page
    csv_text = client.get("/espace/formations/matrice/?format=csv").getvalue().decode("utf-8-sig")
    assert "Total (chaque présence une fois);;3;" in csv_text
    xlsx = client.get("/espace/formations/matrice/?format=xlsx")
    sheet = load_workbook(__import__("io").BytesIO(xlsx.getvalue())).active
    last = [cell.value for cell in sheet[sheet.max_row]]
    assert last[0].startswith("Total") and last[4] == 8 and last[5] == 35.0


def test_a_counsellor_cannot_open_the_matrix(client):
    client.force_login(MembershipFactory().user)
    assert client.get("/espace/formations/matrice/").status_code == 403
