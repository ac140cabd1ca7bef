"""Answers to referrals: rates, refusal reasons and outcomes."""

from maillage.indicators import charts, suppression
from maillage.indicators.enums import (
    ReasonKind,
)
from maillage.indicators.models import (
    ReferralFlowFact,
    ReferralReasonFact,
)
from maillage.indicators.selectors.facts import facts, summed, totals
from maillage.indicators.selectors.referrals._shared import ANSWERS, COUNTERS, _organisations
from maillage.indicators.tables import PERCENT, TEXT, Column, Table


# --- answers, reasons, outcomes --------------------------------------------------------------
def _answer_rates(counters):
    """Acceptance rate and expired share; None when a part of the denominator is hidden
    (the rate and the visible parts would give the hidden one away)."""
    parts = [counters.get(c, 0) for c in ANSWERS]
    if any(suppression.is_hidden(p) for p in parts):
        return None, None
    answered = sum(parts)
    return (
        suppression.rate(counters.get("accepted", 0), answered),
        suppression.rate(counters.get("expired", 0), answered),
    )


def _answer_row(name, counters):
    acceptance, expired = _answer_rates(counters)
    return [
        name,
        counters.get("sent", 0),
        counters.get("accepted", 0),
        counters.get("refused", 0),
        counters.get("redirected", 0),
        counters.get("expired", 0),
        counters.get("cancelled", 0),
        acceptance,
        expired,
    ]


def answers(scope, period, department):
    all_flows = facts(ReferralFlowFact, period, department)
    by_receiver = summed(all_flows, ["receiver"], COUNTERS)
    if not scope.is_partnership:
        by_receiver = {k: v for k, v in by_receiver.items() if k == scope.organisation.pk}
    orgs = _organisations(by_receiver)
    rows = [_answer_row(o.name, by_receiver[o.pk]) for o in orgs.values()]
    footer = [_answer_row("Ensemble du partenariat", totals(all_flows, COUNTERS))]
    columns = [
        Column("receiver", "Opérateur destinataire", TEXT),
        Column("sent", "Adressées"),
        Column("accepted", "Acceptées"),
        Column("refused", "Refusées"),
        Column("redirected", "Réorientées"),
        Column("expired", "Expirées"),
        Column("cancelled", "Annulées par l'envoyeur"),
        Column("acceptance_rate", "Taux d'acceptation", PERCENT),
        Column("expired_share", "Part expirée", PERCENT),
    ]
    chart = charts.hbar(
        title="Réponses des opérateurs destinataires",
        categories=[r[0] for r in rows + footer],
        series=[
            ("Acceptées", [r[2] for r in rows + footer]),
            ("Refusées", [r[3] for r in rows + footer]),
            ("Réorientées", [r[4] for r in rows + footer]),
            ("Expirées", [r[5] for r in rows + footer]),
        ],
        stacked=True,
    )
    note = (
        "Taux calculés sur les réponses données dans la période (acceptées, refusées, "
        "réorientées, expirées), quelle que soit la date d'envoi."
    )
    return Table(
        "reponses", "Acceptations, refus et expirations", columns, rows, footer, chart, note
    )


def _reason_table(scope, period, department, *, kind, slug, title, label_column, choices):
    qs = facts(ReferralReasonFact, period, department).filter(kind=kind)
    everyone = summed(qs, ["code"], ["count"])
    total_all = sum(v["count"] for v in everyone.values())
    if scope.is_partnership:
        codes = sorted(everyone, key=lambda c: -everyone[c]["count"])
        rows = [
            [
                choices.get(c, c),
                everyone[c]["count"],
                suppression.rate(everyone[c]["count"], total_all),
            ]
            for c in codes
        ]
        columns = [Column("code", label_column, TEXT), Column("count", "Nombre"),
                   Column("share", "Part", PERCENT)]  # fmt: skip
        footer = [["Total", total_all, None]]
        series = [("Nombre", [r[1] for r in rows])]
    else:
        org = scope.organisation
        own = summed(qs.filter(receiver=org), ["code"], ["count"])
        total_own = sum(v["count"] for v in own.values())
        codes = sorted(everyone, key=lambda c: -everyone[c]["count"])
        rows = [
            [
                choices.get(c, c),
                own.get(c, {}).get("count", 0),
                suppression.rate(own.get(c, {}).get("count", 0), total_own),
                suppression.rate(everyone[c]["count"], total_all),
            ]
            for c in codes
        ]
        columns = [
            Column("code", label_column, TEXT),
            Column("count", f"{org.name}"),
            Column("share", f"Part chez {org.name}", PERCENT),
            Column("partnership_share", "Part dans le partenariat", PERCENT),
        ]
        footer = [["Total", total_own, None, None]]
        series = [("Nombre", [r[1] for r in rows])]
    chart = charts.hbar(title=title, categories=[r[0] for r in rows], series=series)
    return Table(slug, title, columns, rows, footer, chart).protect()


def refusal_reasons(scope, period, department):
    from maillage.referrals.enums import RefusalReason

    return _reason_table(
        scope, period, department, kind=ReasonKind.REFUSAL, slug="motifs",
        title="Motifs de refus", label_column="Motif", choices=dict(RefusalReason.choices),
    )  # fmt: skip


def outcomes(scope, period, department):
    from maillage.referrals.enums import Outcome

    return _reason_table(
        scope, period, department, kind=ReasonKind.OUTCOME, slug="resultats",
        title="Résultats des accompagnements clôturés", label_column="Résultat",
        choices=dict(Outcome.choices),
    )  # fmt: skip
