"""Who is referred: departments, age bands, professional situations."""

from maillage.indicators import charts, suppression
from maillage.indicators.enums import (
    AGE_BAND_LABELS,
    PERSON_STATUS_LABELS,
    Side,
)
from maillage.indicators.models import (
    ReferralProfileFact,
)
from maillage.indicators.selectors.facts import facts, summed
from maillage.indicators.selectors.referrals._shared import _flows
from maillage.indicators.tables import PERCENT, TEXT, Column, Table
from maillage.partners.models import Department


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
