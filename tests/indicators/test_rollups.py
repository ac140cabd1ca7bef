"""Roll-ups give the same figures as a direct computation over the referrals (property test)."""

from collections import Counter, defaultdict
from datetime import date, timedelta
from math import ceil

import pytest
from django.core.management import call_command
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maillage.core.business_days import business_days_between
from maillage.indicators.enums import AGE_BAND_LABELS, DELAY_CAP, PERSON_STATUS_LABELS, Span
from maillage.indicators.models import (
    ReferralDelayFact,
    ReferralFlowFact,
    ReferralProfileFact,
    ReferralReasonFact,
)
from maillage.indicators.periods import Period, months_between, short_month_label
from maillage.indicators.selectors import referrals as dashboard
from maillage.indicators.selectors.scope import Scope
from maillage.indicators.services import rollups_rebuild, rollups_rebuild_recent
from maillage.referrals.enums import Outcome, RefusalReason
from maillage.referrals.models import Referral
from tests.factories import OrganisationFactory
from tests.indicators.factories import local, referral_with_history

pytestmark = pytest.mark.django_db

BASE = date(2025, 1, 20)  # the window crosses months, Easter Monday and 1 May
STATES = ["sent", "received", "accepted", "in_progress", "closed", "refused", "redirected",
          "cancelled", "expired"]  # fmt: skip
# Local times, some just after midnight (the previous day in UTC) and some late at night.
TIMES = [(0, 10), (0, 50), (9, 0), (22, 30), (23, 55)]
REASONS = [c.value for c in RefusalReason]
OUTCOMES = [c.value for c in Outcome]

referral_specs = st.lists(
    st.fixed_dictionaries(
        {
            "sender": st.integers(0, 2),
            "offset": st.integers(1, 2),
            "day": st.integers(0, 75),
            "time": st.sampled_from(TIMES),
            "event_time": st.sampled_from(TIMES),
            "state": st.sampled_from(STATES),
            "to_received": st.integers(0, 9),
            "to_accepted": st.integers(0, 20),
            "to_ended": st.integers(0, 30),
            "department": st.sampled_from(["93", "75", ""]),
            "age_band": st.sampled_from(list(AGE_BAND_LABELS)),
            "person_status": st.sampled_from([*PERSON_STATUS_LABELS, None]),
            "reason": st.sampled_from(REASONS),
            "outcome": st.sampled_from(OUTCOMES),
        }
    ),
    max_size=40,
)


def _create(spec, operators):
    sender = operators[spec["sender"]]
    receiver = operators[(spec["sender"] + spec["offset"]) % 3]
    sent_day = BASE + timedelta(days=spec["day"])
    state = spec["state"]
    sent = local(sent_day, *spec["time"])

    def at(days):
        return local(sent_day + timedelta(days=days), *spec["event_time"])

    received = accepted = ended = None
    if state not in ("sent", "cancelled", "expired"):
        received = max(sent, at(spec["to_received"]))
    if state in ("accepted", "in_progress", "closed"):
        accepted = max(received, at(spec["to_received"] + spec["to_accepted"]))
    if state == "closed":
        ended = max(accepted, at(spec["to_received"] + spec["to_accepted"] + spec["to_ended"]))
    elif state in ("refused", "redirected"):
        ended = max(received, at(spec["to_received"] + spec["to_ended"]))
    elif state in ("cancelled", "expired"):
        ended = max(sent, at(spec["to_ended"]))
    return referral_with_history(
        sender=sender,
        receiver=receiver,
        sent=sent,
        status=state,
        received=received,
        accepted=accepted,
        ended=ended,
        refusal_reason=spec["reason"] if state == "refused" else "",
        outcome=spec["outcome"] if state == "closed" else "",
        department=spec["department"],
        age_band=spec["age_band"],
        person_status=spec["person_status"],
    )


def _day(moment):
    return timezone.localtime(moment).date() if moment else None


def _nearest_rank(values, share):
    values = sorted(values)
    return values[max(1, ceil(share * len(values))) - 1] if values else None


def _direct(period, department):
    """What the dashboard shows, computed from the referrals row by row."""
    rows = [
        r
        for r in Referral.objects.select_related("sender_organisation", "receiver_organisation")
        if department is None or r.department == department
    ]

    def within(moment):
        return moment is not None and period.start <= _day(moment) <= period.end

    flows = Counter((r.sender_organisation.slug, r.receiver_organisation.slug)
                    for r in rows if within(r.sent_at))  # fmt: skip
    monthly = defaultdict(Counter)
    answers = defaultdict(Counter)
    for r in rows:
        for counter, moment in (("sent", r.sent_at), ("received", r.received_at),
                                ("accepted", r.accepted_at)):  # fmt: skip
            if within(moment):
                monthly[_day(moment).replace(day=1)][counter] += 1
                answers[r.receiver_organisation.name][counter] += 1
        if within(r.ended_at):
            monthly[_day(r.ended_at).replace(day=1)][r.status] += 1
            answers[r.receiver_organisation.name][r.status] += 1
    refusals = Counter(
        str(RefusalReason(r.refusal_reason).label)
        for r in rows
        if r.status == "refused" and within(r.ended_at)
    )
    outcomes = Counter(
        str(Outcome(r.outcome).label) for r in rows if r.status == "closed" and within(r.ended_at)
    )
    delays = defaultdict(list)
    for r in rows:
        for measure, moment in (("received", r.received_at), ("accepted", r.accepted_at)):
            if within(moment):
                gap = min(business_days_between(_day(r.sent_at), _day(moment)), DELAY_CAP)
                delays[(r.receiver_organisation.name, measure)].append(gap)
    ages = Counter(str(AGE_BAND_LABELS[r.age_band]) for r in rows if within(r.sent_at))
    situations = Counter(
        str(PERSON_STATUS_LABELS[r.profile.get("status") or ""]) for r in rows if within(r.sent_at)
    )
    return flows, monthly, answers, refusals, outcomes, delays, ages, situations


def _nonzero(counter):
    return {k: v for k, v in counter.items() if v}


def _check(period, department):
    scope = Scope()
    flows, monthly, answers, refusals, outcomes, delays, ages, situations = _direct(
        period, department
    )
    labels, matrix = dashboard.flow_matrix(scope, period, department)
    slugs = [slug for slug, _ in labels]
    from_rollups = {(slugs[i], slugs[j]): v for i, row in enumerate(matrix)
                    for j, v in enumerate(row) if v}  # fmt: skip
    assert from_rollups == _nonzero(flows)

    table = dashboard.monthly(scope, period, department)
    keys = ["sent", "received", "accepted", "refused", "expired", "closed"]
    for month, row in zip(months_between(period.start, period.end), table.rows, strict=True):
        assert row[0] == short_month_label(month)
        assert row[1:] == [monthly[month][k] for k in keys], month

    table = dashboard.answers(scope, period, department)
    keys = ["sent", "accepted", "refused", "redirected", "expired", "cancelled"]
    got = {row[0]: row[1:7] for row in table.rows}
    expected = {
        name: [c[k] for k in keys] for name, c in answers.items() if any(c[k] for k in keys)
    }
    assert {k: v for k, v in got.items() if any(v)} == expected

    for table, counter in (
        (dashboard.refusal_reasons(scope, period, department), refusals),
        (dashboard.outcomes(scope, period, department), outcomes),
        (dashboard.age_bands(scope, period, department), ages),
        (dashboard.person_statuses(scope, period, department), situations),
    ):
        assert {row[0]: row[1] for row in table.rows if row[1]} == _nonzero(counter), table.slug

    per_receiver, _ = dashboard.delay_histograms(period, department)
    names = {o.pk: o.name for o in dashboard._organisations(r for r, _ in per_receiver).values()}
    got = {
        (names[receiver], measure): dashboard.delay_summary(histogram)
        for (receiver, measure), histogram in per_receiver.items()
    }
    expected = {
        key: {"count": len(v), "median": _nearest_rank(v, 0.5), "p90": _nearest_rank(v, 0.9)}
        for key, v in delays.items()
    }
    assert got == expected


@pytest.fixture
def operators(db):
    return [OrganisationFactory(name=f"Opérateur {n}", slug=f"op-{n}") for n in "abc"]


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    specs=referral_specs,
    start=st.integers(-5, 110),
    length=st.integers(0, 100),
    department=st.sampled_from([None, "93", "75"]),
)
def test_rollups_equal_a_direct_computation(operators, settings_threshold, specs, start, length,
                                            department):  # fmt: skip
    Referral.objects.all().delete()
    for spec in specs:
        _create(spec, operators)
    rollups_rebuild()
    first = BASE + timedelta(days=start)
    period = Period(first, first + timedelta(days=length), "perso", "test")
    _check(period, department)


@pytest.fixture
def settings_threshold(settings):
    # Compare every count, however small: suppression is tested on its own.
    settings.MAILLAGE_INDICATORS_SUPPRESS_BELOW = 1


def _snapshot():
    rows = set()
    for model in (ReferralFlowFact, ReferralProfileFact, ReferralReasonFact, ReferralDelayFact):
        fields = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
        rows |= {(model.__name__, *row) for row in model.objects.values_list(*fields)}
    return rows


def test_rebuilding_twice_gives_the_same_rows(operators):
    today = timezone.localdate()
    for days in range(1, 40, 3):
        referral_with_history(
            sender=operators[0],
            receiver=operators[1],
            sent=local(today - timedelta(days=days)),
            status="accepted",
            received=local(today - timedelta(days=days - 1)),
            accepted=local(today - timedelta(days=days - 1)),
        )
    rollups_rebuild()
    first = _snapshot()
    rollups_rebuild()
    assert _snapshot() == first
    assert ReferralFlowFact.objects.filter(span=Span.MONTH).exists()


def test_a_period_that_reaches_today_reads_the_current_month_row(operators, settings):
    settings.MAILLAGE_INDICATORS_SUPPRESS_BELOW = 1
    today = timezone.localdate()
    sent = [today - timedelta(days=d) for d in (0, 1, 2, 9, 20, 33, 45, 70)]
    for day in sent:
        referral_with_history(sender=operators[0], receiver=operators[1], sent=local(day))
    rollups_rebuild()
    for days in (0, 5, 15, 40, 75):
        period = Period(today - timedelta(days=days), today, "perso", "")
        _, matrix = dashboard.flow_matrix(Scope(), period, None)
        expected = sum(1 for day in sent if day >= period.start)
        assert sum(v or 0 for row in matrix for v in row) == expected, days


def test_the_workers_recent_rebuild_matches_a_full_rebuild(operators):
    today = timezone.localdate()
    old = referral_with_history(
        sender=operators[0], receiver=operators[1], sent=local(today - timedelta(days=20))
    )
    rollups_rebuild()
    # Today: the old referral is accepted, a new one is sent.
    old.status, old.received_at, old.accepted_at = "accepted", timezone.now(), timezone.now()
    old.save()
    referral_with_history(sender=operators[1], receiver=operators[2], sent=timezone.now())
    rollups_rebuild_recent()
    incremental = _snapshot()
    rollups_rebuild()
    assert _snapshot() == incremental
    sent_today = ReferralFlowFact.objects.get(
        span=Span.DAY, day=today, department="93", sender=operators[1]
    )
    assert sent_today.sent == 1


def test_tick_queues_the_refresh_and_the_worker_runs_it(operators, run_worker):
    referral_with_history(sender=operators[0], receiver=operators[2], sent=timezone.now())
    assert not ReferralFlowFact.objects.exists()
    call_command("tick", verbosity=0)
    run_worker()
    fact = ReferralFlowFact.objects.get(span=Span.DAY, department="*")
    assert (fact.sender_id, fact.receiver_id, fact.sent) == (operators[0].pk, operators[2].pk, 1)


def test_the_rebuild_command_reports_its_rows(operators, capsys):
    referral_with_history(sender=operators[0], receiver=operators[1], sent=timezone.now())
    call_command("indicators", "rebuild", "--from", "2020-01-01")
    assert "Agrégats reconstruits" in capsys.readouterr().out
    assert ReferralFlowFact.objects.filter(span=Span.DAY, department="93").count() == 1
