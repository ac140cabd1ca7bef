"""Referral volumes: per month, the flow matrix, the flows and each partner's flows."""

from django.db.models.functions import TruncMonth

from maillage.core.french import de
from maillage.indicators import charts, suppression
from maillage.indicators.enums import (
    FLOW_COUNTERS,
)
from maillage.indicators.models import (
    ReferralFlowFact,
)
from maillage.indicators.periods import months_between, short_month_label
from maillage.indicators.selectors.facts import facts, summed
from maillage.indicators.selectors.referrals._shared import (
    COUNTERS,
    OTHERS,
    _flows,
    _operators_involved,
    _organisations,
)
from maillage.indicators.tables import NUMBER, SECRET, TEXT, Column, Table


# --- monthly volumes -------------------------------------------------------------------------
def monthly(scope, period, department):
    months = list(months_between(period.start, period.end))
    labels = [short_month_label(m) for m in months]
    if scope.is_partnership:
        by_month = summed(
            facts(ReferralFlowFact, period, department).annotate(m=TruncMonth("day")),
            ["m"],
            COUNTERS,
        )
        shown = ["sent", "received", "accepted", "refused", "expired", "closed"]
        names = dict(FLOW_COUNTERS)
        columns = [Column("month", "Mois", TEXT)] + [Column(c, str(names[c])) for c in shown]
        rows = [
            [label] + [by_month.get(m, {}).get(c, 0) for c in shown]
            for m, label in zip(months, labels, strict=True)
        ]
        footer = [["Total"] + [sum(r[i + 1] for r in rows) for i in range(len(shown))]]
        chart = charts.hbar(
            title="Orientations envoyées et acceptées par mois",
            categories=labels,
            series=[("Envoyées", [r[1] for r in rows]), ("Acceptées", [r[3] for r in rows])],
        )
        table = Table("mensuel", "Orientations par mois", columns, rows, footer, chart)
        return table.protect()
    org = scope.organisation
    all_by_month = summed(
        facts(ReferralFlowFact, period, department).annotate(m=TruncMonth("day")), ["m"], ["sent"]
    )
    own = _flows(scope, period, department).annotate(m=TruncMonth("day"))
    sent = summed(own.filter(sender=org), ["m"], ["sent"])
    addressed = summed(own.filter(receiver=org), ["m"], ["sent"])
    operators = max(len(_operators_involved(period, department)), 1)
    rows = []
    for m, label in zip(months, labels, strict=True):
        total = all_by_month.get(m, {}).get("sent", 0)
        average = None if suppression.is_hidden(total) else round(total / operators, 1)
        rows.append(
            [label, sent.get(m, {}).get("sent", 0), addressed.get(m, {}).get("sent", 0), average]
        )
    columns = [
        Column("month", "Mois", TEXT),
        Column("sent", f"Envoyées par {org.name}"),
        Column("addressed", f"Adressées à {org.name}"),
        Column("average", "Moyenne par opérateur du partenariat", NUMBER),
    ]
    chart = charts.hbar(
        title=f"Orientations {de(org.name)} par mois",
        categories=labels,
        series=[("Envoyées", [r[1] for r in rows]), ("Adressées", [r[2] for r in rows])],
    )
    note = (
        f"Moyenne : orientations envoyées dans tout le partenariat divisées par les {operators} "
        "opérateurs ayant envoyé ou reçu au moins une orientation sur la période."
    )
    return Table("mensuel", "Orientations par mois", columns, rows, [], chart, note)


# --- flow matrix -----------------------------------------------------------------------------
def flow_matrix(scope, period, department):
    """([(slug, name)], [[count]]): rows send, columns receive; a manager: own vs `autres`."""
    if scope.is_partnership:
        pairs = summed(
            facts(ReferralFlowFact, period, department), ["sender", "receiver"], ["sent"]
        )
        orgs = _organisations(o for pair in pairs for o in pair)
        ordered = list(orgs.values())
        matrix = [[pairs.get((s.pk, r.pk), {}).get("sent", 0) for r in ordered] for s in ordered]
        return [(o.slug, o.name) for o in ordered], matrix
    org = scope.organisation
    pairs = summed(facts(ReferralFlowFact, period, department), ["sender", "receiver"], ["sent"])
    cells = {(True, False): 0, (False, True): 0, (False, False): 0, (True, True): 0}
    for (s, r), value in pairs.items():
        cells[(s == org.pk, r == org.pk)] += value["sent"]
    # Flows between the other operators are not theirs to see: None (not a count).
    matrix = [
        [cells[(True, True)], cells[(True, False)]],
        [cells[(False, True)], None],
    ]
    return [(org.slug, org.name), (OTHERS, "Autres opérateurs")], matrix


def flows(scope, period, department):
    labels, matrix = flow_matrix(scope, period, department)
    names = [name for _, name in labels]
    columns = [Column("sender", "Orienté par ↓ / vers →", TEXT)]
    columns += [Column(slug, name) for slug, name in labels] + [Column("total", "Total")]
    rows = []
    for i, name in enumerate(names):
        cells = [None if i == j else value for j, value in enumerate(matrix[i])]
        rows.append([name, *cells, sum(v or 0 for v in matrix[i])])
    footer = [
        ["Total reçu", *[sum(row[j] or 0 for row in matrix) for j in range(len(names))],
         sum(v or 0 for row in matrix for v in row)]
    ]  # fmt: skip
    chart_matrix = [
        ["" if i == j or value is None else value for j, value in enumerate(row)]
        for i, row in enumerate(matrix)
    ]
    note = "Lecture : chaque ligne est l'opérateur qui oriente, chaque colonne celui qui reçoit."
    table = Table("flux", "Flux entre opérateurs", columns, rows, footer, "", note)
    table.protect(row_total="total")
    masked = {(i, j - 1) for i, j in table.secret}
    chart_matrix = [
        [SECRET if (i, j) in masked else value for j, value in enumerate(row)]
        for i, row in enumerate(chart_matrix)
    ]
    table.chart = charts.heatmap(
        title="Flux d'orientations entre opérateurs (lignes : qui oriente ; colonnes : vers qui)",
        row_labels=names,
        column_labels=names,
        matrix=chart_matrix,
    )
    return table


def partners(scope, period, department):
    """A manager's own row and column, detailed per partner (their own referrals)."""
    org = scope.organisation
    qs = _flows(scope, period, department)
    sent = summed(qs.filter(sender=org), ["receiver"], ["sent", "accepted"])
    received = summed(qs.filter(receiver=org), ["sender"], ["sent", "accepted"])
    orgs = _organisations([*sent, *received])
    rows = [
        [
            o.name,
            sent.get(o.pk, {}).get("sent", 0),
            sent.get(o.pk, {}).get("accepted", 0),
            received.get(o.pk, {}).get("sent", 0),
            received.get(o.pk, {}).get("accepted", 0),
        ]
        for o in orgs.values()
    ]
    columns = [
        Column("partner", "Opérateur partenaire", TEXT),
        Column("sent_to", "Envoyées vers lui"),
        Column("accepted_by", "Acceptées par lui"),
        Column("received_from", "Reçues de lui"),
        Column("accepted_from", "Acceptées par vous"),
    ]
    chart = charts.hbar(
        title=f"Échanges {de(org.name)} avec chaque partenaire",
        categories=[r[0] for r in rows],
        series=[
            ("Envoyées vers lui", [r[1] for r in rows]),
            ("Reçues de lui", [r[3] for r in rows]),
        ],
    )
    return Table("partenaires", "Vos échanges avec chaque partenaire", columns, rows, [], chart)
