"""Fixtures of the indicators tests: a small partnership with referrals, people of each role."""

from datetime import date, timedelta
from html.parser import HTMLParser

import pytest

from maillage.accounts.services import api_token_create
from maillage.indicators.services import rollups_rebuild
from tests.factories import MembershipFactory, OrganisationFactory
from tests.indicators.factories import local, referral_with_history

# A past month, so that the figures do not depend on the day the tests run.
MONTH = date(2025, 3, 1)
PERIOD = {"periode": "2025-03"}


@pytest.fixture
def partnership(db):
    """Three operators; Alpha sent 3 referrals to Beta (a small count) and 8 to Gamma,
    Beta sent 6 to Gamma; Gamma accepted 10 of its 14 and refused 4 as duplicates."""
    alpha = OrganisationFactory(name="Alpha Conseil", slug="alpha")
    beta = OrganisationFactory(name="Beta Orientation", slug="beta")
    gamma = OrganisationFactory(name="Gamma Emploi", slug="gamma")
    day = MONTH + timedelta(days=2)  # a Monday
    for _ in range(3):
        referral_with_history(sender=alpha, receiver=beta, sent=local(day))
    for index in range(8):
        refused = index < 4
        referral_with_history(
            sender=alpha,
            receiver=gamma,
            sent=local(day),
            status="refused" if refused else "accepted",
            received=local(day + timedelta(days=1)),
            accepted=None if refused else local(day + timedelta(days=3)),
            ended=local(day + timedelta(days=2)) if refused else None,
            refusal_reason="duplicate" if refused else "",
        )
    for _ in range(6):
        referral_with_history(
            sender=beta,
            receiver=gamma,
            sent=local(day),
            status="accepted",
            received=local(day),
            accepted=local(day + timedelta(days=1)),
        )
    rollups_rebuild()
    return {"alpha": alpha, "beta": beta, "gamma": gamma}


@pytest.fixture
def people(partnership):
    return {
        "coordinator": MembershipFactory(coordinator=True),
        "committee_member": MembershipFactory(
            committee_member=True, organisation=partnership["beta"]
        ),
        "manager": MembershipFactory(manager=True, organisation=partnership["alpha"]),
        "counsellor": MembershipFactory(organisation=partnership["alpha"]),
    }


def bearer(membership):
    _, raw = api_token_create(user=membership.user, organisation=membership.organisation)
    return {"Authorization": f"Bearer {raw}"}


class _Tables(HTMLParser):
    """Reads the <table>s of a page as lists of rows of cell texts, keyed by section id."""

    def __init__(self):
        super().__init__()
        self.tables, self.section, self.row, self.cell = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and attrs.get("id"):
            self.section = attrs["id"]
        elif tag == "table" and self.section:
            self.tables[self.section] = []
        elif tag == "tr" and self.section in self.tables:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.row.append(" ".join(self.cell.split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.tables[self.section].append(self.row)
            self.row = None
        elif tag == "table":
            self.section = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def page_tables(html):
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def row_of(table, first_cell):
    return next(row for row in table if row[0] == first_cell)
