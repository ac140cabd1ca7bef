"""Training exports (matrix and histories): a name never becomes a formula in CSV or XLSX."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from maillage.training.services import sessions as services
from tests.factories import MembershipFactory, OrganisationFactory
from tests.training.factories import make_session

pytestmark = pytest.mark.django_db

HOST = '=HYPERLINK("http://x","y")'
GUESTS = "@SUM(A1:A2)"
FIRST, LAST = "+SUM(1+1)", "-2+3+cmd|' /C calc'!A0"


@pytest.fixture
def world():
    host = OrganisationFactory(name=HOST)
    guests = OrganisationFactory(name=GUESTS)
    publisher = MembershipFactory(manager=True, organisation=host)
    member = MembershipFactory(organisation=guests, user__first_name=FIRST, user__last_name=LAST)
    session = make_session(publisher=publisher, title="-1+1 atelier", hours=Decimal("3"))
    registration = services.enrolment_create(actor=member.user, membership=member, session=session)
    services.attendance_mark(
        actor=publisher.user,
        membership=publisher,
        session=session,
        registration=registration,
        present=True,
    )
    return {"guests_manager": MembershipFactory(manager=True, organisation=guests)}


def _csv(response):
    return list(csv.reader(io.StringIO(_body(response).decode("utf-8-sig")), delimiter=";"))


def _xlsx(response):
    return list(load_workbook(io.BytesIO(_body(response))).active.iter_rows())


def test_the_matrix_exports_neutralise_formulas(client, world):
    client.force_login(MembershipFactory(coordinator=True).user)
    rows = _csv(client.get("/espace/formations/matrice/?format=csv"))
    assert ["'" + HOST, "'" + GUESTS, "1", "1", "1", "3"] in rows
    for row in _xlsx(client.get("/espace/formations/matrice/?format=xlsx"))[1:]:
        if row[0].value == "'" + HOST and row[1].value == "'" + GUESTS:
            assert row[0].data_type == row[1].data_type == "s"
            assert [c.value for c in row[2:]] == [1, 1, 1, 3]
            assert row[2].data_type == "n"
            break
    else:
        pytest.fail("the host's line is missing")


def test_the_history_exports_neutralise_formulas(client, world):
    client.force_login(world["guests_manager"].user)
    rows = _csv(client.get("/espace/formations/historique/?format=csv"))
    person, operator, title = rows[1][:3]
    assert person == "'" + f"{FIRST} {LAST}" and operator == "'" + GUESTS
    assert title == "'-1+1 atelier"
    cells = _xlsx(client.get("/espace/formations/historique/?format=xlsx"))[1]
    for cell in cells[:3]:
        assert cell.data_type == "s" and cell.value.startswith("'")
    assert cells[5].value == 3.0 and cells[5].data_type == "n"


def _body(response):
    """The bytes of a plain or a streamed response, as the browser receives them."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content
