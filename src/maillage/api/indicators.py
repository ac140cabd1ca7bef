"""API routes of the indicators area: flows, delays, any dashboard table, XLSX/CSV exports.

Same scoping as the pages: coordination and committees see the partnership, a manager their
operator (the rest grouped as `autres`), a counsellor gets a 403. Hidden counts are `null`.
"""

from datetime import date

from django.http import Http404
from ninja import Field, Query, Router, Schema

from maillage.api.auth import token_auth
from maillage.api.errors import responses
from maillage.api.types import Day
from maillage.indicators import exports, suppression
from maillage.indicators.enums import DelayMeasure
from maillage.indicators.periods import custom_period, department_from_params, named_period
from maillage.indicators.selectors import activity, referrals
from maillage.indicators.selectors.daily import daily_flow_rows
from maillage.indicators.selectors.scope import scope_for

router = Router(tags=["indicateurs"], auth=token_auth)


class PeriodQuery(Schema):
    start: Day | None = Field(None, alias="from", description="Premier jour (AAAA-MM-JJ)")
    end: Day | None = Field(None, alias="to", description="Dernier jour (AAAA-MM-JJ)")
    department: str | None = Field(None, max_length=3, description="Code du département, ex. 93")


class FlowsOut(Schema):
    start: date = Field(..., alias="from")
    end: date = Field(..., alias="to")
    department: str | None
    operators: list[str]
    matrix: list[list[int | None]]
    suppressed_below: int


class DelayStats(Schema):
    count: int | None
    median: int | None
    p90: int | None


class OperatorDelays(Schema):
    operator: str
    received: DelayStats
    accepted: DelayStats
    reminder_business_days: int
    expiry_business_days: int


class PartnershipDelays(Schema):
    received: DelayStats
    accepted: DelayStats


class DelaysOut(Schema):
    start: date = Field(..., alias="from")
    end: date = Field(..., alias="to")
    department: str | None
    unit: str = "business_days"
    operators: list[OperatorDelays]
    partnership: PartnershipDelays
    suppressed_below: int


class ColumnOut(Schema):
    key: str
    label: str
    kind: str


class TableOut(Schema):
    slug: str
    title: str
    start: date = Field(..., alias="from")
    end: date = Field(..., alias="to")
    columns: list[ColumnOut]
    rows: list[list[str | int | float | None]]
    footer: list[list[str | int | float | None]]
    suppressed_below: int


def _context(request, filters):
    scope = scope_for(request.membership)
    if filters.start is None and filters.end is None:
        period = named_period("12m")
    else:
        period = custom_period(
            filters.start and filters.start.isoformat(),
            filters.end and filters.end.isoformat(),
            start_field="from",
            end_field="to",
        )
    department = department_from_params(filters.department, field="department")
    return scope, period, department


def _head(period, department):
    return {
        "from": period.start,
        "to": period.end,
        "department": department,
        "suppressed_below": suppression.threshold(),
    }


@router.get(
    "/indicators/referral-flows", response=responses(FlowsOut, statuses=[403]), by_alias=True
)
def referral_flows(request, filters: Query[PeriodQuery]):
    """Flow matrix: row = operator that refers, column = operator that receives."""
    scope, period, department = _context(request, filters)
    # Built from the page's table so that the masks agree with the totals shown there.
    found = referrals.flows(scope, period, department)
    operators = [c.key for c in found.columns[1:-1]]
    return {
        **_head(period, department),
        "operators": operators,
        "matrix": [row[1 : 1 + len(operators)] for row in found.api_rows()],
    }


def _stats(histogram):
    summary = referrals.delay_summary(histogram)
    summary["count"] = suppression.visible(summary["count"])
    return summary


@router.get("/indicators/delays", response=responses(DelaysOut, statuses=[403]), by_alias=True)
def delays(request, filters: Query[PeriodQuery]):
    """Delays in business days from sending: median and 90th percentile, per receiver."""
    scope, period, department = _context(request, filters)
    per_receiver, overall = referrals.delay_histograms(period, department)
    receivers = {r for r, _ in per_receiver}
    if not scope.is_partnership:
        receivers &= {scope.organisation.pk}
    operators = [
        {
            "operator": org.slug,
            "received": _stats(per_receiver.get((org.pk, DelayMeasure.RECEIVED), {})),
            "accepted": _stats(per_receiver.get((org.pk, DelayMeasure.ACCEPTED), {})),
            "reminder_business_days": org.referral_reminder_business_days,
            "expiry_business_days": org.referral_expiry_business_days,
        }
        for org in referrals._organisations(receivers).values()
    ]
    return {
        **_head(period, department),
        "operators": operators,
        "partnership": {
            "received": _stats(overall.get(DelayMeasure.RECEIVED, {})),
            "accepted": _stats(overall.get(DelayMeasure.ACCEPTED, {})),
        },
    }


def _table(slug, scope, period, department):
    if slug in referrals.TABLES and not (slug == "partenaires" and scope.is_partnership):
        return referrals.TABLES[slug](scope, period, department)
    table = activity.activity_table(slug, scope, period, department)
    if table is None:
        raise Http404
    return table


@router.get(
    "/indicators/tables/{slug}", response=responses(TableOut, statuses=[403, 404]), by_alias=True
)
def table(request, slug: str, filters: Query[PeriodQuery]):
    """Any table of the dashboards (`mensuel`, `flux`, `reponses`, `motifs`, `delais`,
    `resultats`, `departements`, `ages`, `situations`, `evenements`, `contributions`,
    `formation`, `matrice-formation`, `gouvernance`, `aiguillage`; `partenaires` for a manager).
    """
    scope, period, department = _context(request, filters)
    found = _table(slug, scope, period, department)
    cols = found.columns
    return {
        **_head(period, department),
        "slug": found.slug,
        "title": found.title,
        "columns": [{"key": c.key, "label": str(c.label), "kind": c.kind} for c in cols],
        "rows": found.api_rows(),
        "footer": found.api_footer(),
    }


def _export(request, slug, filters, fmt):
    scope, period, department = _context(request, filters)
    name = f"maillage-{slug}-{period.start.isoformat()}-{period.end.isoformat()}"
    if slug == "journalier":
        rows, title = daily_flow_rows(scope, period, department), "Flux journaliers"
    else:
        found = _table(slug, scope, period, department)
        rows, title = found.export_rows(), found.title
    if fmt == "csv":
        return exports.csv_response(rows, name)
    return exports.xlsx_response(rows, name, title=title)


@router.get(
    "/indicators/exports/{slug}.xlsx",
    response=responses({}, statuses=[403, 404]),
    openapi_extra={
        "responses": {
            "200": {
                "description": "Classeur XLSX",
                "content": {
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}
                },
            }
        }
    },
)
def export_xlsx(request, slug: str, filters: Query[PeriodQuery]):
    """A dashboard table (or `journalier`: the daily roll-up rows) as an XLSX workbook."""
    return _export(request, slug, filters, "xlsx")


@router.get(
    "/indicators/exports/{slug}.csv",
    response=responses({}, statuses=[403, 404]),
    openapi_extra={"responses": {"200": {"description": "CSV", "content": {"text/csv": {}}}}},
)
def export_csv(request, slug: str, filters: Query[PeriodQuery]):
    """The same as CSV (semicolon-separated, UTF-8 with BOM)."""
    return _export(request, slug, filters, "csv")
