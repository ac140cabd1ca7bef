"""Referral indicators of a scope over a period, read from the roll-ups only (never referrals)."""

from math import ceil

from django.db.models import Q
from django.db.models.functions import TruncMonth

from maillage.core.french import de
from maillage.indicators import charts, suppression
from maillage.indicators.enums import (
    AGE_BAND_LABELS,
    DELAY_CAP,
    FLOW_COUNTERS,
    PERSON_STATUS_LABELS,
    DelayMeasure,
    ReasonKind,
    Side,
)
from maillage.indicators.models import (
    ReferralDelayFact,
    ReferralFlowFact,
    ReferralProfileFact,
    ReferralReasonFact,
)
from maillage.indicators.periods import months_between, short_month_label
from maillage.indicators.selectors.facts import facts, memoised, summed, totals
from maillage.indicators.tables import DAYS, NUMBER, PERCENT, SECRET, TEXT, Column, Table
from maillage.partners.models import Department, Organisation

COUNTERS = [c for c, _ in FLOW_COUNTERS]
OTHERS = "autres"
ANSWERS = ("accepted", "refused", "redirected", "expired")


def _organisations(ids):
    return {o.pk: o for o in Organisation.objects.filter(pk__in=set(ids)).order_by("name")}


def _flows(scope, period, department, *, per_department=False):
    qs = facts(ReferralFlowFact, period, department, per_department=per_department)
    if not scope.is_partnership:
        qs = qs.filter(Q(sender=scope.organisation) | Q(receiver=scope.organisation))
    return qs


def _operators_involved(period, department):
    pairs = summed(facts(ReferralFlowFact, period, department), ["sender", "receiver"], ["sent"])
    return {org for pair in pairs for org in pair}


def percentile(histogram, share):
    """Nearest-rank percentile of a {business_days: count} histogram; None under the threshold."""
    total = sum(histogram.values())
    if total == 0 or total < suppression.threshold():
        return None
    rank = max(1, ceil(share * total))
    seen = 0
    for days in sorted(histogram):
        seen += histogram[days]
        if seen >= rank:
            return days
    return None


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


# --- profiles --------------------------------------------------------------------------------
def departments(scope, period, department):
    qs = _flows(scope, period, department, per_department=True)
    by_dept = summed(qs, ["department"], ["sent", "accepted"])
    names = dict(Department.objects.values_list("code", "name"))
    codes = sorted(by_dept, key=lambda c: (c == "", c))
    rows = [
        [f"{names.get(c, c)} ({c})" if c else "Non renseigné", by_dept[c]["sent"],
         by_dept[c]["accepted"]]
        for c in codes
    ]  # fmt: skip
    columns = [
        Column("department", "Département de la personne", TEXT),
        Column("sent", "Envoyées"),
        Column("accepted", "Acceptées"),
    ]
    chart = charts.hbar(
        title="Orientations par département",
        categories=[r[0] for r in rows],
        series=[("Envoyées", [r[1] for r in rows]), ("Acceptées", [r[2] for r in rows])],
    )
    return Table("departements", "Par département", columns, rows, [], chart)


def _profile_table(scope, period, department, *, dimension, labels, slug, title, label_column):
    qs = facts(ReferralProfileFact, period, department).filter(dimension=dimension)
    everyone = summed(qs.filter(side=Side.RECEIVER), ["value"], ["count"])
    total_all = sum(v["count"] for v in everyone.values())
    keys = [k for k in labels if k in everyone] + [k for k in everyone if k not in labels]
    if scope.is_partnership:
        rows = [
            [
                str(labels.get(k, k)),
                everyone[k]["count"],
                suppression.rate(everyone[k]["count"], total_all),
            ]
            for k in keys
        ]
        columns = [Column("key", label_column, TEXT), Column("count", "Personnes orientées"),
                   Column("share", "Part", PERCENT)]  # fmt: skip
        series = [("Personnes orientées", [r[1] for r in rows])]
    else:
        org = scope.organisation
        own = qs.filter(organisation=org)
        received = summed(own.filter(side=Side.RECEIVER), ["value"], ["count"])
        sent = summed(own.filter(side=Side.SENDER), ["value"], ["count"])
        keys = keys + [k for k in [*received, *sent] if k not in keys]
        rows = [
            [
                str(labels.get(k, k)),
                received.get(k, {}).get("count", 0),
                sent.get(k, {}).get("count", 0),
                suppression.rate(everyone.get(k, {}).get("count", 0), total_all),
            ]
            for k in keys
        ]
        columns = [
            Column("key", label_column, TEXT),
            Column("received", f"Adressées à {org.name}"),
            Column("sent", f"Envoyées par {org.name}"),
            Column("partnership_share", "Part dans le partenariat", PERCENT),
        ]
        series = [("Adressées", [r[1] for r in rows]), ("Envoyées", [r[2] for r in rows])]
    chart = charts.hbar(title=title, categories=[r[0] for r in rows], series=series)
    return Table(slug, title, columns, rows, [], chart)


def age_bands(scope, period, department):
    return _profile_table(
        scope, period, department, dimension="age_band", labels=AGE_BAND_LABELS,
        slug="ages", title="Par tranche d'âge", label_column="Tranche d'âge",
    )  # fmt: skip


def person_statuses(scope, period, department):
    return _profile_table(
        scope, period, department, dimension="person_status", labels=PERSON_STATUS_LABELS,
        slug="situations", title="Par situation professionnelle", label_column="Situation",
    )  # fmt: skip


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
