"""Deterministic synthetic referrals for load tests and benchmarks (`maillage seed`).

Same `--seed`, same rows. PostgreSQL: COPY, with the table's secondary indexes dropped during
the load and rebuilt after (much faster than maintaining them row by row). Other databases:
bulk_create in batches. Seeded referrals carry their dates and codes but no transition rows;
their lifecycle walks the workflow table (`lifecycle`), which `bench/indicators.py` shares.
"""

import io
import json
import random
import time
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from maillage.partners.models import Organisation
from maillage.referrals.enums import (
    ACTIVE_OUTCOMES,
    ACTIVE_REFUSAL_REASONS,
    Action,
    RefusalReason,
    Status,
)
from maillage.referrals.models import Referral
from maillage.referrals.normalise import fold
from maillage.referrals.workflow import WORKFLOW

FIRST_NAMES = [
    "Adam",
    "Aïcha",
    "Alice",
    "Amina",
    "Antoine",
    "Arthur",
    "Camille",
    "Chloé",
    "Clara",
    "Emma",
    "Enzo",
    "Farid",
    "Gabriel",
    "Hugo",
    "Inès",
    "Jade",
    "Jules",
    "Julien",
    "Karim",
    "Léa",
    "Léo",
    "Lina",
    "Louis",
    "Lucas",
    "Manon",
    "Marie",
    "Mathis",
    "Mohamed",
    "Nadia",
    "Nathan",
    "Noah",
    "Nour",
    "Paul",
    "Raphaël",
    "Rose",
    "Sacha",
    "Samia",
    "Sarah",
    "Sofia",
    "Thomas",
    "Yanis",
    "Yasmine",
    "Zoé",
]
SYLLABLES = [
    "ber",
    "dal",
    "mar",
    "ten",
    "ro",
    "vi",
    "lan",
    "che",
    "fon",
    "gar",
    "ni",
    "pe",
    "lu",
    "sa",
    "mo",
    "ri",
    "da",
    "le",
    "bo",
    "tou",
    "ra",
    "ge",
    "ma",
    "co",
    "dou",
    "fa",
    "bi",
    "ver",
    "nou",
    "pi",
]
DEPARTMENTS = ["75", "93", "92", "94", "91", "95", "78", "77"]
DEPARTMENT_WEIGHTS = [22, 16, 14, 12, 10, 10, 9, 7]
AGE_BANDS = ["-26", "26-34", "35-44", "45-54", "55+", ""]
PERSON_STATUSES = ["employed_private", "job_seeker", "self_employed", "employed_public", "other"]
# Coded reasons a synthetic refusal carries ("other" needs a message a generator cannot write).
REFUSALS = [r.value for r in ACTIVE_REFUSAL_REASONS if r != RefusalReason.OTHER]
OUTCOMES = [o.value for o in ACTIVE_OUTCOMES]
# How a referral reaches each final state: moves of the workflow table, in order (a move the
# table does not allow from where the path stands raises, see `lifecycle`).
PATHS = {
    Status.SENT: (),
    Status.RECEIVED: (Action.RECEIVE,),
    Status.ACCEPTED: (Action.RECEIVE, Action.ACCEPT),
    Status.IN_PROGRESS: (Action.RECEIVE, Action.ACCEPT, Action.START),
    Status.CLOSED: (Action.RECEIVE, Action.ACCEPT, Action.START, Action.CLOSE),
    Status.REFUSED: (Action.RECEIVE, Action.REFUSE),
    Status.REDIRECTED: (Action.RECEIVE, Action.REDIRECT),
    Status.CANCELLED: (Action.CANCEL,),
    Status.EXPIRED: (Action.EXPIRE,),
}
# Final states and how often referrals end in them.
STATES = [state.value for state in Status]
STATE_WEIGHTS = [4, 4, 8, 14, 38, 15, 3, 4, 10]
# Days from the previous move to this one: a fixed part plus a random spread.
DELAYS = {
    Action.RECEIVE: (0, 6),
    Action.ACCEPT: (0, 12),
    Action.START: (0, 20),
    Action.CLOSE: (21, 110),
    Action.REFUSE: (0, 10),
    Action.REDIRECT: (0, 10),
    Action.CANCEL: (0, 8),
    Action.EXPIRE: (42, 0),
}
DAY = timedelta(days=1)


def lifecycle(rng, state, *, sent, now):
    """The status, dates and codes of a referral that went towards `state` from `sent`,
    through the workflow's own moves and stamps; what would happen after `now` has not."""
    values = {
        "status": Status.SENT.value,
        "received_at": None,
        "accepted_at": None,
        "ended_at": None,
        "first_appointment_on": None,
        "refusal_reason": "",
        "outcome": "",
    }
    moment = sent
    for action in PATHS[state]:
        move = WORKFLOW.moves[action]
        if not WORKFLOW.can(values["status"], action, move.who):
            raise ValueError(f"{action} n'est pas permis depuis {values['status']}.")
        fixed, spread = DELAYS[action]
        at = moment + (fixed + rng.random() * spread) * DAY
        if at > now:
            break
        values["status"] = move.target.value
        if move.stamp:
            values[move.stamp] = at
        if action == Action.START:
            values["first_appointment_on"] = at.date()
        elif action == Action.REFUSE:
            values["refusal_reason"] = rng.choice(REFUSALS)
        elif action == Action.CLOSE:
            values["outcome"] = rng.choice(OUTCOMES)
        moment = at
    return values


COLUMNS = [
    "sender_organisation_id",
    "receiver_organisation_id",
    "status",
    "first_name",
    "last_name",
    "birth_date",
    "email",
    "phone",
    "preferred_contact",
    "need",
    "search_name",
    "identity_key",
    "email_key",
    "department",
    "age_band",
    "profile",
    "decision",
    "free_choice",
    "consent_method",
    "consent_given_at",
    "consent_operators",
    "duplicate_reason",
    "sent_at",
    "received_at",
    "accepted_at",
    "first_appointment_on",
    "ended_at",
    "refusal_reason",
    "outcome",
    "status_message",
    "contact_person",
    "no_contact_reason",
]


def last_names(rng, count=6000):
    """A stable list of invented surnames (3 syllables): realistic search selectivity."""
    names = set()
    while len(names) < count:
        names.add("".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3, 3)))).title())
    return sorted(names)


def rows(count, *, seed=0, years=2, now=None):
    """`count` referral rows (dicts of column → value), deterministic; the operators are read
    here, before any COPY starts on the connection (a query during COPY would block)."""
    operators = list(
        Organisation.objects.filter(accepts_referrals=True, is_active=True)
        .order_by("pk")
        .values_list("pk", "slug")
    )
    if len(operators) < 2:
        raise ValueError("Il faut au moins deux opérateurs (chargez les données de référence).")
    return _generate(count, operators, seed=seed, years=years, now=now or timezone.now())


def _generate(count, operators, *, seed, years, now):
    rng = random.Random(seed)
    folded = {}  # fold() is slow; names repeat
    weights = [rng.uniform(0.3, 3.0) for _ in operators]
    surnames = last_names(rng)
    span = int(years * 365.25 * 86400)
    start = now - timedelta(seconds=span)
    profiles = {s: {"department": "", "status": s} for s in PERSON_STATUSES}
    for index in range(count):
        (sender, _s), (receiver, receiver_slug) = rng.choices(operators, weights, k=2)
        while receiver == sender:
            receiver, receiver_slug = rng.choices(operators, weights)[0]
        sent = start + timedelta(seconds=rng.randrange(span))
        state = rng.choices(STATES, STATE_WEIGHTS)[0]
        steps = lifecycle(rng, state, sent=sent, now=now)
        first = rng.choice(FIRST_NAMES)
        last = rng.choice(surnames)
        if first not in folded:
            folded[first] = fold(first)
        if last not in folded:
            folded[last] = fold(last)
        f_first, f_last = folded[first], folded[last]
        birth = (sent - timedelta(days=rng.randrange(18 * 365, 62 * 365))).date()
        email = f"{f_first}.{f_last}{index}@exemple.test"
        department = rng.choices(DEPARTMENTS, DEPARTMENT_WEIGHTS)[0]
        profile = dict(profiles[rng.choice(PERSON_STATUSES)], department=department)
        yield {
            "sender_organisation_id": sender,
            "receiver_organisation_id": receiver,
            "status": steps["status"],
            "first_name": first,
            "last_name": last,
            "birth_date": birth,
            "email": email,
            "phone": "",
            "preferred_contact": "email",
            "need": "Faire le point sur son projet professionnel.",
            "search_name": f"{f_last} {f_first}",
            "identity_key": f"{' '.join(sorted([f_first, f_last]))}|{birth.isoformat()}",
            "email_key": email,
            "department": department,
            "age_band": rng.choice(AGE_BANDS),
            "profile": profile,
            "decision": {"primary": receiver_slug, "alternatives": [], "rule": "R8"},
            "free_choice": False,
            "consent_method": "in_person",
            "consent_given_at": sent,
            "consent_operators": [receiver_slug],
            "duplicate_reason": "",
            "sent_at": sent,
            "received_at": steps["received_at"],
            "accepted_at": steps["accepted_at"],
            "first_appointment_on": steps["first_appointment_on"],
            "ended_at": steps["ended_at"],
            "refusal_reason": steps["refusal_reason"],
            "outcome": steps["outcome"],
            "status_message": "",
            "contact_person": True,
            "no_contact_reason": "",
        }


def _copy_value(value):
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    elif hasattr(value, "isoformat"):
        value = value.isoformat()
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


def _secondary_indexes(cursor):
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'referrals_referral' "
        "AND indexname NOT LIKE '%%pkey'"
    )
    return cursor.fetchall()


def _load_postgresql(data, count, *, rebuild_indexes, stdout):
    with connection.cursor() as cursor:
        # Django's foreign keys are deferred: check them at the end of the COPY statement,
        # not at commit, or the index rebuild below meets "pending trigger events".
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        indexes = _secondary_indexes(cursor) if rebuild_indexes else []
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
        with cursor.cursor.copy(
            f"COPY referrals_referral ({', '.join(COLUMNS)}) FROM STDIN"
        ) as copy:
            buffer = io.StringIO()
            for index, row in enumerate(data, 1):
                buffer.write("\t".join(_copy_value(row[c]) for c in COLUMNS))
                buffer.write("\n")
                if index % 20_000 == 0:
                    copy.write(buffer.getvalue())
                    buffer = io.StringIO()
                if stdout is not None and index % 500_000 == 0:
                    stdout.write(f"  {index:,} orientations copiées")
            copy.write(buffer.getvalue())
        for _name, definition in indexes:
            cursor.execute(definition)
        cursor.execute("ANALYZE referrals_referral")


def _load_orm(data, *, batch):
    chunk = []
    for row in data:
        chunk.append(Referral(**row))
        if len(chunk) >= batch:
            Referral.objects.bulk_create(chunk)
            chunk = []
    if chunk:
        Referral.objects.bulk_create(chunk)


def seed_referrals(count, *, seed=0, years=2, now=None, stdout=None, batch=5000):
    """Insert `count` synthetic referrals; returns the seconds it took."""
    began = time.perf_counter()
    data = rows(count, seed=seed, years=years, now=now)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            _load_postgresql(data, count, rebuild_indexes=count >= 100_000, stdout=stdout)
        else:
            _load_orm(data, batch=batch)
    return time.perf_counter() - began
