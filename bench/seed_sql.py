"""Millions of synthetic referrals in one set-based statement (PostgreSQL, `generate_series`).

The Python generator of `maillage.referrals.seed` takes ~10 minutes per million rows on this
machine; the same shape written by the database itself takes seconds. The rows follow the
referral lifecycle the constraints demand (dates in order, a reason for a refusal, an outcome
for a closed referral, nothing later than now), spread over `years` years, between the active
operators that accept referrals, in the eight departments of Île-de-France.

  DATABASE_URL=postgres://postgres@127.0.0.1:5432/maillage_speed \\
    .venv/bin/python bench/seed_sql.py --referrals 5000000 [--years 4] [--append]
"""

import argparse
import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from maillage.core.reference import reference_load_all  # noqa: E402
from maillage.partners.models import Organisation  # noqa: E402

# Final states and their cumulative thresholds (sent 4 %, received 4 %, accepted 8 %, in
# progress 14 %, closed 38 %, refused 15 %, redirected 3 %, cancelled 4 %, expired 10 %).
STATES = [
    ("sent", 0.04),
    ("received", 0.08),
    ("accepted", 0.16),
    ("in_progress", 0.30),
    ("closed", 0.68),
    ("refused", 0.83),
    ("redirected", 0.86),
    ("cancelled", 0.90),
    ("expired", 1.01),
]
DEPARTMENTS = "ARRAY['75','75','75','93','93','92','92','94','91','95','78','77']"
AGE_BANDS = "ARRAY['-26','26-34','35-44','45-54','55+','']"
PERSON_STATUSES = "ARRAY['employed_private','job_seeker','self_employed','employed_public','other']"
REFUSALS = (
    "ARRAY['unreachable','outside_public','already_supported','person_declined','duplicate',"
    "'other','missing_information']"
)
OUTCOMES = (
    "ARRAY['advice_given','project_defined','training_started','job_found_or_kept',"
    "'person_stopped','referred_elsewhere','unreachable']"
)


def _pick(array, rand):
    return f"({array})[1 + floor({rand} * array_length({array}, 1))::int]"


def insert_sql(count, operators, years):
    ops = "(ARRAY[" + ",".join(str(o) for o in operators) + "])"
    n = len(operators)
    state = "CASE " + " ".join(f"WHEN g.st < {t} THEN '{s}'" for s, t in STATES) + " END"
    now = "statement_timestamp()"
    return f"""
INSERT INTO referrals_referral (
  sender_organisation_id, receiver_organisation_id, status, first_name, last_name, need,
  search_name, identity_key, email_key, email, phone, preferred_contact, department, age_band,
  profile, decision, free_choice, consent_method, consent_given_at, consent_operators,
  duplicate_reason, contact_person, no_contact_reason, sent_at, received_at, accepted_at,
  ended_at, refusal_reason, outcome, status_message)
SELECT sender, receiver, fstatus, 'Prénom', 'Nom' || i, 'Faire le point sur son projet.',
  'nom' || i || ' prenom', 'nom' || i || ' prenom|1980-01-01', '', '', '', 'email', dept, age,
  jsonb_build_object('status', pstatus, 'department', dept),
  jsonb_build_object('primary', '', 'alternatives', '[]'::jsonb, 'rule', 'R8'), false,
  'in_person', sent, '[]'::jsonb, '', true, '', sent,
  CASE WHEN received <= {now} THEN received END, CASE WHEN accepted <= {now} THEN accepted END,
  CASE WHEN ended <= {now} THEN ended END,
  CASE WHEN fstatus = 'refused' THEN {_pick(REFUSALS, "r4")} ELSE '' END,
  CASE WHEN fstatus = 'closed' THEN {_pick(OUTCOMES, "r4")} ELSE '' END, ''
FROM (
  -- What would happen after now has not happened yet: the referral stays a step behind.
  SELECT *, CASE
    WHEN ended > {now} OR accepted > {now} OR received > {now} THEN
      CASE WHEN accepted <= {now} THEN 'in_progress' WHEN received <= {now} THEN 'received'
           ELSE 'sent' END
    ELSE status END AS fstatus
  FROM (
  SELECT *,
    CASE WHEN status IN ('closed') THEN accepted + (21 + r3 * 110) * interval '1 day'
         WHEN status IN ('refused', 'redirected') THEN received + r3 * 10 * interval '1 day'
         WHEN status = 'cancelled' THEN sent + r3 * 8 * interval '1 day'
         WHEN status = 'expired' THEN sent + interval '42 days' END AS ended
  FROM (
    SELECT *,
      CASE WHEN status IN ('accepted', 'in_progress', 'closed')
           THEN received + r2 * 12 * interval '1 day' END AS accepted
    FROM (
      SELECT *,
        CASE WHEN status NOT IN ('sent', 'cancelled', 'expired')
             THEN sent + r1 * 6 * interval '1 day' END AS received
      FROM (
        SELECT g.i, {ops}[1 + a] AS sender,
          {ops}[1 + (a + 1 + floor(g.rb * {n - 1})::int) % {n}] AS receiver,
          {state} AS status,
          {now} - g.rs * interval '{years * 365} days' AS sent,
          {_pick(DEPARTMENTS, "g.rd")} AS dept, {_pick(AGE_BANDS, "g.ra")} AS age,
          {_pick(PERSON_STATUSES, "g.rp")} AS pstatus, g.r1, g.r2, g.r3, g.r4
        FROM (
          SELECT i, floor(random() * {n})::int AS a, random() AS rb, random() AS st,
            random() AS rs, random() AS rd, random() AS ra, random() AS rp, random() AS r1,
            random() AS r2, random() AS r3, random() AS r4
          FROM generate_series(1, {count}) AS i
        ) g
      ) s
    ) s
  ) s
) s
) s
"""


def _secondary_indexes(cursor):
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'referrals_referral' "
        "AND indexname NOT LIKE '%%pkey'"
    )
    return cursor.fetchall()


def seed(count, *, years=4, append=False, out=print):
    """Insert `count` referrals; returns the seconds taken."""
    if connection.vendor != "postgresql":
        raise SystemExit("PostgreSQL seulement (DATABASE_URL=postgres://…).")
    operators = list(
        Organisation.objects.filter(accepts_referrals=True, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if len(operators) < 2:
        raise SystemExit("Il faut au moins deux opérateurs (données de référence).")
    began = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL work_mem = '256MB'")
        if not append:
            cursor.execute("TRUNCATE referrals_referral CASCADE")
        indexes = _secondary_indexes(cursor)
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
        step = 1_000_000
        for done in range(0, count, step):
            cursor.execute(insert_sql(min(step, count - done), operators, years))
            elapsed = time.perf_counter() - began
            out(f"  {done + min(step, count - done):,} orientations ({elapsed:.0f} s)")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE referrals_referral")
    return time.perf_counter() - began


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--referrals", type=int, default=1_000_000)
    parser.add_argument("--years", type=int, default=4)
    parser.add_argument("--append", action="store_true")
    args = parser.parse_args()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    reference_load_all()
    seconds = seed(args.referrals, years=args.years, append=args.append)
    print(f"loaded={args.referrals} seconds={seconds:.0f}")


if __name__ == "__main__":
    main()
