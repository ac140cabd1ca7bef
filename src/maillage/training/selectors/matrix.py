"""The training matrix: which host operators trained which operators' counsellors, over a period.

Every figure comes from the attendance records (events registrations marked present) of
training sessions: a cell counts the sessions, the people and the hours for one host operator
and one participants' operator. A session with two hosts credits both, so the grand total is
computed from the records themselves (each attendance once), never by adding rows.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from maillage.core.scoping import scopes_disabled
from maillage.events.enums import RegistrationStatus
from maillage.events.models import Registration
from maillage.partners.models import Organisation
from maillage.training.models import TrainingSession


@dataclass
class Cell:
    sessions: set = field(default_factory=set)
    people: set = field(default_factory=set)
    attendances: int = 0
    hours: Decimal = Decimal(0)

    def add(self, session_id, person, hours):
        self.sessions.add(session_id)
        self.people.add(person)
        self.attendances += 1
        self.hours += hours

    def as_dict(self):
        return {
            "sessions": len(self.sessions),
            "people": len(self.people),
            "attendances": self.attendances,
            "hours": self.hours,
        }


@dataclass
class Matrix:
    hosts: list
    participants: list
    cells: dict  # (host id, participant org id) -> Cell
    host_totals: dict
    participant_totals: dict
    total: Cell

    def rows(self):
        """[(host, [cell dict or None per participant operator], host total)] for templates."""
        empty = Cell().as_dict()
        return [
            (
                host,
                [
                    self.cells[(host.pk, p.pk)].as_dict()
                    if (host.pk, p.pk) in self.cells
                    else empty
                    for p in self.participants
                ],
                self.host_totals[host.pk].as_dict(),
            )
            for host in self.hosts
        ]

    def column_totals(self):
        return [self.participant_totals[p.pk].as_dict() for p in self.participants]


def attendance_records(*, date_from=None, date_to=None):
    """Attendances (present) at training sessions starting in [date_from, date_to], of every
    operator: the matrix is the partnership's (it shows counts, no names)."""
    with scopes_disabled():
        records = Registration.objects.filter(
            status=RegistrationStatus.ATTENDED, event__training_session__isnull=False
        )
    if date_from:
        records = records.filter(event__starts_at__date__gte=date_from)
    if date_to:
        records = records.filter(event__starts_at__date__lte=date_to)
    return records


def training_matrix(*, date_from=None, date_to=None):
    records = list(
        attendance_records(date_from=date_from, date_to=date_to).values_list(
            "pk",
            "user_id",
            "email",
            "sent_by_organisation_id",
            "event__training_session__pk",
            "event__training_session__hours",
        )
    )
    session_ids = {r[4] for r in records}
    hosts_of = defaultdict(list)
    for session_id, host_id in TrainingSession.hosts.through.objects.filter(
        trainingsession_id__in=session_ids
    ).values_list("trainingsession_id", "organisation_id"):
        hosts_of[session_id].append(host_id)
    cells = defaultdict(Cell)
    host_totals = defaultdict(Cell)
    participant_totals = defaultdict(Cell)
    total = Cell()
    for _pk, user_id, email, participant_id, session_id, hours in records:
        # A person is their account, or their email when the account was removed.
        person = user_id or email
        total.add(session_id, person, hours)
        participant_totals[participant_id].add(session_id, person, hours)
        for host_id in hosts_of[session_id]:
            cells[(host_id, participant_id)].add(session_id, person, hours)
            host_totals[host_id].add(session_id, person, hours)
    organisations = Organisation.objects.in_bulk(
        set(host_totals) | {p for p in participant_totals if p is not None}
    )
    by_name = lambda ids: sorted(  # noqa: E731
        (organisations[i] for i in ids if i in organisations), key=lambda o: o.name.lower()
    )
    return Matrix(
        hosts=by_name(host_totals),
        participants=by_name(participant_totals),
        cells=dict(cells),
        host_totals=dict(host_totals),
        participant_totals=dict(participant_totals),
        total=total,
    )
