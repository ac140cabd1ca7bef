"""Referral indicators of a scope over a period, read from the roll-ups only (never referrals).

One module per subject: `volumes` (monthly volumes and flows), `answers` (answers, reasons,
outcomes), `delays`, `profiles` (departments, age bands, situations); here the key figures and
the dashboard that composes them.
"""

from maillage.indicators import suppression
from maillage.indicators.enums import DelayMeasure
from maillage.indicators.selectors.facts import memoised, totals
from maillage.indicators.selectors.referrals._shared import (
    ANSWERS,
    COUNTERS,
    OTHERS,
    _flows,
    _operators_involved,
    _organisations,
    percentile,
)
from maillage.indicators.selectors.referrals.answers import (
    _answer_rates,
    answers,
    outcomes,
    refusal_reasons,
)
from maillage.indicators.selectors.referrals.delays import delay_histograms, delay_summary, delays
from maillage.indicators.selectors.referrals.profiles import (
    age_bands,
    departments,
    person_statuses,
)
from maillage.indicators.selectors.referrals.volumes import flow_matrix, flows, monthly, partners

__all__ = [
    "ANSWERS",
    "COUNTERS",
    "OTHERS",
    "TABLES",
    "_flows",
    "_operators_involved",
    "_organisations",
    "age_bands",
    "answers",
    "dashboard",
    "delay_histograms",
    "delay_summary",
    "delays",
    "departments",
    "flow_matrix",
    "flows",
    "key_figures",
    "monthly",
    "outcomes",
    "partners",
    "percentile",
    "person_statuses",
    "refusal_reasons",
    "tables_for",
]  # fmt: skip


def _rate_missing_why(counters, numerator):
    """Why a rate over the answers is not shown, in words (called when it is not)."""
    parts = {c: counters.get(c, 0) for c in ANSWERS}
    answered = sum(parts.values())
    if not counters.get("sent", 0) and not answered:
        return "aucune orientation sur la période"
    if not answered:
        return "aucune réponse encore"
    if answered < suppression.threshold():
        return f"pas assez de réponses ({suppression.label(answered)}) pour un taux"
    hidden = [c for c, n in parts.items() if suppression.is_hidden(n)]
    if hidden or suppression.is_hidden(answered - parts[numerator]):
        return (
            f"masqué : un type de réponse compte moins de {suppression.threshold()} personnes "
            "(secret statistique)"
        )
    return "pas assez de données"


def _median_missing_why(histogram):
    total = sum(histogram.values())
    if total == 0:
        return "aucune acceptation sur la période"
    if total < suppression.threshold():
        return f"pas assez d'acceptations ({suppression.label(total)}) pour un délai médian"
    return None


def key_figures(scope, period, department):
    """The few numbers at the top of the dashboard."""
    qs = _flows(scope, period, department)
    if not scope.is_partnership:
        qs = qs.filter(receiver=scope.organisation)
    counters = totals(qs, COUNTERS)
    acceptance, expired = _answer_rates(counters)
    per_receiver, overall = delay_histograms(period, department)
    if scope.is_partnership:
        accepted_hist = overall.get(DelayMeasure.ACCEPTED, {})
    else:
        accepted_hist = per_receiver.get((scope.organisation.pk, DelayMeasure.ACCEPTED), {})
    return {
        "sent": counters["sent"],
        "accepted": counters["accepted"],
        "acceptance_rate": acceptance,
        "expired_share": expired,
        "accepted_median": percentile(accepted_hist, 0.5),
        # Where a figure is missing, why: a person reads "—" with its reason, not a blank.
        "missing": {
            "acceptance_rate": _rate_missing_why(counters, "accepted")
            if acceptance is None
            else None,
            "expired_share": _rate_missing_why(counters, "expired") if expired is None else None,
            "accepted_median": _median_missing_why(accepted_hist),
        },
    }


TABLES = {
    "mensuel": monthly,
    "flux": flows,
    "partenaires": partners,
    "reponses": answers,
    "motifs": refusal_reasons,
    "delais": delays,
    "resultats": outcomes,
    "departements": departments,
    "ages": age_bands,
    "situations": person_statuses,
}


def tables_for(scope, period, department):
    slugs = [s for s in TABLES if s != "partenaires" or not scope.is_partnership]
    return [TABLES[s](scope, period, department) for s in slugs]


def dashboard(scope, period, department):
    """(key figures, tables) of the referrals dashboard, sharing their queries."""
    with memoised():
        return key_figures(scope, period, department), tables_for(scope, period, department)
