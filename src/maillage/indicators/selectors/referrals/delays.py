"""Delays in business days: histograms, median and 9th decile."""

from maillage.indicators import charts
from maillage.indicators.enums import (
    DELAY_CAP,
    DelayMeasure,
)
from maillage.indicators.models import (
    ReferralDelayFact,
)
from maillage.indicators.selectors.facts import facts, summed
from maillage.indicators.selectors.referrals._shared import _organisations, percentile
from maillage.indicators.tables import DAYS, TEXT, Column, Table


# --- delays ----------------------------------------------------------------------------------
def delay_histograms(period, department):
    """{(receiver_id, measure): {business_days: count}} and the partnership's {measure: {...}}."""
    per_receiver, overall = {}, {}
    qs = facts(ReferralDelayFact, period, department)
    for (receiver, measure, days), value in summed(
        qs, ["receiver", "measure", "business_days"], ["count"]
    ).items():
        per_receiver.setdefault((receiver, measure), {}).setdefault(days, 0)
        per_receiver[(receiver, measure)][days] += value["count"]
        overall.setdefault(measure, {}).setdefault(days, 0)
        overall[measure][days] += value["count"]
    return per_receiver, overall


def delay_summary(histogram):
    return {
        "count": sum(histogram.values()),
        "median": percentile(histogram, 0.5),
        "p90": percentile(histogram, 0.9),
    }


def delays(scope, period, department):
    per_receiver, overall = delay_histograms(period, department)
    receivers = {r for r, _ in per_receiver}
    if not scope.is_partnership:
        receivers &= {scope.organisation.pk}
    orgs = _organisations(receivers)

    def row(name, hist_received, hist_accepted, reminder=None, expiry=None):
        rec, acc = delay_summary(hist_received), delay_summary(hist_accepted)
        return [name, acc["count"], rec["median"], rec["p90"], acc["median"], acc["p90"],
                reminder, expiry]  # fmt: skip

    rows = [
        row(
            o.name,
            per_receiver.get((o.pk, DelayMeasure.RECEIVED), {}),
            per_receiver.get((o.pk, DelayMeasure.ACCEPTED), {}),
            o.referral_reminder_business_days,
            o.referral_expiry_business_days,
        )
        for o in orgs.values()
    ]
    footer = [
        row(
            "Ensemble du partenariat",
            overall.get(DelayMeasure.RECEIVED, {}),
            overall.get(DelayMeasure.ACCEPTED, {}),
        )
    ]
    columns = [
        Column("receiver", "Opérateur destinataire", TEXT),
        Column("accepted", "Acceptations"),
        Column("received_median", "Envoi → réception : médiane", DAYS),
        Column("received_p90", "Envoi → réception : 9ᵉ décile", DAYS),
        Column("accepted_median", "Envoi → acceptation : médiane", DAYS),
        Column("accepted_p90", "Envoi → acceptation : 9ᵉ décile", DAYS),
        Column("reminder", "Relance convenue", DAYS),
        Column("expiry", "Expiration convenue", DAYS),
    ]
    chart = charts.hbar(
        title="Délais médians en jours ouvrés, par opérateur destinataire",
        categories=[r[0] for r in rows + footer],
        series=[
            ("Réception (médiane)", [r[2] for r in rows + footer]),
            ("Acceptation (médiane)", [r[4] for r in rows + footer]),
            ("Relance convenue", [r[6] for r in rows + footer]),
        ],
        unit=" j",
        counts=False,
    )
    note = (
        "Jours ouvrés (hors week-ends et jours fériés), comptés à partir du jour d'envoi, pour "
        f"les réceptions et acceptations de la période ; au-delà de {DELAY_CAP} jours, compté "
        f"{DELAY_CAP}. Le 9ᵉ décile est le délai sous lequel se font 90 % des réponses."
    )
    return Table("delais", "Délais de réponse (jours ouvrés)", columns, rows, footer, chart, note)
