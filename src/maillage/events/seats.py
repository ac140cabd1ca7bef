"""The one read model of an event's seats: who may still book what, in figures and in words.

The registration service decides with it (under the event lock), and the list page, the event
page, the API and the organisers' page show it: none of them re-derives the seat rule.

Rule: an operator's reserved seats go first to the people it sends; then everyone (the public
and every operator) shares the general seats, i.e. the capacity minus all reservations. With
`quotas_are_caps` (training sessions) an operator with a reservation never goes beyond it.
"""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count
from django.utils import timezone

from maillage.core.scoping import scopes_disabled
from maillage.events.enums import SEAT_HOLDING, EventStatus, RegistrationStatus
from maillage.events.models import Registration, SeatQuota


@dataclass
class SeatLedger:
    capacity: int | None
    caps: bool = False
    # {organisation_id: reserved seats}
    quotas: dict = field(default_factory=dict)
    # {organisation_id or None (the public): seats held}
    used: dict = field(default_factory=dict)
    waiting: int = 0
    names: dict = field(default_factory=dict)
    status: str = EventStatus.PUBLISHED
    ended: bool = False
    # Registration closed (by the organisers, by its closing time, or the event has begun).
    booking_closed: bool = False

    # -- figures --------------------------------------------------------------------------

    def _general(self):
        capacity = max(self.capacity - sum(self.quotas.values()), 0)
        used = sum(n - min(n, self.quotas.get(org, 0)) for org, n in self.used.items())
        return capacity, used

    @property
    def public_left(self):
        """General seats still free: what a person coming on their own can book (None: no
        limit)."""
        if self.capacity is None:
            return None
        capacity, used = self._general()
        return max(capacity - used, 0)

    def reserved_left_for(self, organisation_id):
        if self.capacity is None or organisation_id is None:
            return 0
        return max(self.quotas.get(organisation_id, 0) - self.used.get(organisation_id, 0), 0)

    @property
    def reserved_left(self):
        """[(organisation_id, name, seats)] of the reservations not used up, by name."""
        rows = [
            (org, self.names.get(org, ""), self.reserved_left_for(org))
            for org in self.quotas
            if self.reserved_left_for(org)
        ]
        return sorted(rows, key=lambda row: (row[1], row[0]))

    def left_for(self, organisation_id):
        """Seats a person sent by `organisation_id` (None: the public) can still take."""
        if self.capacity is None:
            return None
        reserved = self.reserved_left_for(organisation_id)
        if self.caps and organisation_id in self.quotas:
            return reserved
        return reserved + self.public_left

    def available_for(self, organisation_id):
        return self.capacity is None or self.left_for(organisation_id) > 0

    def left(self):
        """Every seat still free, reserved ones included (None: no limit)."""
        if self.capacity is None:
            return None
        return self.public_left + sum(self.reserved_left_for(org) for org in self.quotas)

    @property
    def public_full(self):
        return self.capacity is not None and self.public_left == 0

    def take(self, organisation_id):
        self.used[organisation_id] = self.used.get(organisation_id, 0) + 1

    # -- words ----------------------------------------------------------------------------

    @property
    def closed_word(self):
        """« Événement annulé » / « Événement passé » instead of a count, else ""."""
        if self.status == EventStatus.CANCELLED:
            return "Événement annulé"
        if self.ended or self.status == EventStatus.HELD:
            return "Événement passé"
        return ""

    @property
    def sentence(self):
        """What the public page says about seats, e.g. « 2 places ouvertes au public,
        1 réservée aux personnes orientées par Uniformation. »"""
        if self.closed_word:
            return f"{self.closed_word}."
        if self.booking_closed:
            return "Inscriptions closes."
        if self.capacity is None:
            return "Entrée libre sur inscription, sans limite de places."
        public = self.public_left
        reserved = [
            f"{n} {'place ' if not public else ''}réservée{'s' if n > 1 else ''} aux personnes "
            f"orientées par {name}"
            for _org, name, n in self.reserved_left
        ]
        if public:
            head = f"{public} place{'s' if public > 1 else ''} ouverte{'s' if public > 1 else ''}"
            head += " au public"
        else:
            head = "Complet pour le public"
        text = ", ".join([head, *reserved]) + "."
        if not public and self.waiting:
            text += f" {self.waiting} personne{'s' if self.waiting > 1 else ''} en liste d'attente."
        return text

    @property
    def badge(self):
        """The list page's short word ("" when nothing special)."""
        if self.status == EventStatus.CANCELLED:
            return "Annulé"
        if self.ended or self.status == EventStatus.HELD:
            return "Passé"
        if self.booking_closed:
            return "Inscriptions closes"
        if self.public_full:
            return "Complet — liste d'attente"
        return ""


def _ledger(event, quotas, used, waiting, names, now):
    return SeatLedger(
        capacity=event.capacity,
        caps=event.quotas_are_caps,
        quotas=quotas,
        used=used,
        waiting=waiting,
        names=names,
        status=event.status,
        ended=event.ends_at <= now,
        booking_closed=event.status != EventStatus.PUBLISHED
        or event.starts_at <= now
        or bool(event.registration_closes_at and now >= event.registration_closes_at),
    )


# The quotas and the counts by (operator, status) of one event in one round trip, for the
# registration service under the event lock: plain SQL, as this runs once per registration
# and the ORM spends longer building the two queries than the database answering them.
_QUOTAS_AND_COUNTS = (
    "SELECT {q_org}, NULL, {q_seats} FROM {quota} WHERE {q_event} = %s "
    "UNION ALL "
    "SELECT {r_org}, {r_status}, COUNT(*) FROM {registration} WHERE {r_event} = %s "
    "GROUP BY {r_org}, {r_status}"
)


def _quotas_and_counts(event_id):
    """([(organisation_id, seats, "")], [(organisation_id, status, n)]) in one query."""
    q, r = SeatQuota._meta, Registration._meta
    sql = _QUOTAS_AND_COUNTS.format(
        quota=connection.ops.quote_name(q.db_table),
        q_org=q.get_field("organisation").column,
        q_seats=q.get_field("seats").column,
        q_event=q.get_field("event").column,
        registration=connection.ops.quote_name(r.db_table),
        r_org=r.get_field("sent_by_organisation").column,
        r_status=r.get_field("status").column,
        r_event=r.get_field("event").column,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [event_id, event_id])
        rows = cursor.fetchall()
    quotas = [(org, n, "") for org, status, n in rows if status is None]
    counts = [(org, status, n) for org, status, n in rows if status is not None]
    return quotas, counts


@scopes_disabled()
def seats_for(event, *, with_names=True):
    """The ledger of one event, waiting list included: two small queries, or one without the
    operators' names (as the registration service asks under the lock)."""
    now = timezone.now()
    if with_names:
        rows = list(
            SeatQuota.objects.filter(event_id=event.pk).values_list(
                "organisation_id", "seats", "organisation__name"
            )
        )
        counts = (
            Registration.objects.filter(event_id=event.pk)
            .values_list("sent_by_organisation_id", "status")
            .annotate(n=Count("id"))
            .order_by()
        )
    else:
        rows, counts = _quotas_and_counts(event.pk)
    used, waiting = {}, 0
    for org, status, n in counts:
        if status in SEAT_HOLDING:
            used[org] = used.get(org, 0) + n
        elif status == RegistrationStatus.WAITLISTED:
            waiting += n
    return _ledger(
        event,
        {org: seats for org, seats, _ in rows},
        used,
        waiting,
        {org: name for org, _, name in rows},
        now,
    )


@scopes_disabled()
def seats_for_many(events):
    """{event_id: ledger} for a list page: two queries whatever the number of events."""
    events = list(events)
    ids = [e.pk for e in events]
    now = timezone.now()
    quotas, names = {}, {}
    for event_id, org, seats, name in SeatQuota.objects.filter(event_id__in=ids).values_list(
        "event_id", "organisation_id", "seats", "organisation__name"
    ):
        quotas.setdefault(event_id, {})[org] = seats
        names.setdefault(event_id, {})[org] = name
    used, waiting = {}, {}
    for event_id, org, status, n in (
        Registration.objects.filter(event_id__in=ids)
        .values_list("event_id", "sent_by_organisation_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        if status in SEAT_HOLDING:
            per_event = used.setdefault(event_id, {})
            per_event[org] = per_event.get(org, 0) + n
        elif status == RegistrationStatus.WAITLISTED:
            waiting[event_id] = waiting.get(event_id, 0) + n
    return {
        e.pk: _ledger(
            e,
            quotas.get(e.pk, {}),
            used.get(e.pk, {}),
            waiting.get(e.pk, 0),
            names.get(e.pk, {}),
            now,
        )
        for e in events
    }
