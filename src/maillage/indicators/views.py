"""Indicator pages: the referrals dashboard, the activity page, the printable report, exports."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from maillage.core import errors
from maillage.core.db_routing import reading_replica, replica_lag_seconds, replica_reads
from maillage.core.pdf import pdf_render, pdf_response
from maillage.indicators import exports
from maillage.indicators.periods import (
    department_from_params,
    named_period,
    period_choices,
    period_from_params,
)
from maillage.indicators.selectors import activity, referrals
from maillage.indicators.selectors.daily import daily_flow_rows
from maillage.indicators.selectors.facts import freshness
from maillage.indicators.selectors.scope import scope_for
from maillage.indicators.suppression import threshold
from maillage.partners.models import Department

FORMATS = ("csv", "xlsx")


def indicators_view(view):
    """Signed in, and a role that may read indicators (counsellors get a 403)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            scope = scope_for(request.membership)
        except errors.Forbidden as exc:
            raise PermissionDenied(exc.message) from None
        with replica_reads(request) as on_replica:
            response = view(request, scope, *args, **kwargs)
        if on_replica and getattr(response, "streaming", False):
            response.streaming_content = _on_replica(response.streaming_content, request)
        return response

    return wrapped


def _on_replica(chunks, request):
    """A streamed export keeps reading the replica while it is sent."""
    with replica_reads(request):
        yield from chunks


def _filters(request):
    """(period, department, errors): bad input shows a French message, never a 500."""
    problems = {}
    try:
        period = period_from_params(request.GET)
    except errors.DomainError as exc:
        problems[exc.field or "periode"] = exc.message
        period = named_period("12m")
    try:
        department = department_from_params(request.GET.get("departement"))
    except errors.DomainError as exc:
        problems["departement"] = exc.message
        department = None
    return period, department, problems


def _context(request, scope, period, department, problems, **extra):
    query = {"periode": period.key}
    if period.key == "perso":
        query |= {"du": period.start.isoformat(), "au": period.end.isoformat()}
    if department:
        query["departement"] = department
    return {
        "scope": scope,
        "period": period,
        "department": department,
        "department_name": Department.objects.filter(pk=department).first() if department else None,
        "problems": problems,
        "period_choices": period_choices(),
        "departments": Department.objects.filter(region_code="11").order_by("code"),
        "query": "&".join(f"{k}={v}" for k, v in query.items()),
        "threshold": threshold(),
        "freshness": freshness(),
        "replica": {"used": reading_replica(), "lag": replica_lag_seconds()},
        "now": timezone.now(),
        **extra,
    }


@indicators_view
def dashboard(request, scope):
    period, department, problems = _filters(request)
    figures, tables = referrals.dashboard(scope, period, department)
    context = _context(
        request,
        scope,
        period,
        department,
        problems,
        figures=figures,
        tables=tables,
        section="orientations",
    )
    return render(request, "indicators/dashboard.html", context)


@indicators_view
def activity_page(request, scope):
    period, department, problems = _filters(request)
    context = _context(
        request,
        scope,
        period,
        department,
        problems,
        tables=activity.activity_tables(scope, period, department),
        section="activite",
    )
    return render(request, "indicators/activity.html", context)


@indicators_view
def report(request, scope):
    period, department, problems = _filters(request)
    figures, tables = referrals.dashboard(scope, period, department)
    context = _context(
        request,
        scope,
        period,
        department,
        problems,
        figures=figures,
        tables=tables + activity.activity_tables(scope, period, department),
        section="rapport",
    )
    if request.GET.get("format") == "pdf":
        content = pdf_render("indicators/report_pdf.html", context, request=request)
        return pdf_response(content, filename=f"rapport-activite-{period.key}.pdf")
    return render(request, "indicators/report.html", context)


def _table(slug, scope, period, department):
    if slug in referrals.TABLES:
        if slug == "partenaires" and scope.is_partnership:
            raise Http404
        return referrals.TABLES[slug](scope, period, department)
    table = activity.activity_table(slug, scope, period, department)
    if table is None:
        raise Http404
    return table


def _filename(slug, period, department):
    name = f"maillage-{slug}-{period.start.isoformat()}-{period.end.isoformat()}"
    return f"{name}-{department}" if department else name


@indicators_view
def export(request, scope, slug, fmt):
    if fmt not in FORMATS:
        raise Http404
    period, department, problems = _filters(request)
    if problems:
        # An export never silently falls back to another period than the one asked for.
        return render(
            request,
            "indicators/export_error.html",
            {"problems": problems.values()},
            status=400,
        )
    filename = _filename(slug, period, department)
    if slug == "journalier":
        rows = daily_flow_rows(scope, period, department)
        title = "Flux journaliers"
    else:
        table = _table(slug, scope, period, department)
        rows = table.export_rows()
        title = table.title
    heading = (
        f"{title} — {scope.label} — {period.label}"
        + (f" — département {department}" if department else "")
        + f" — effectifs inférieurs à {threshold()} masqués"
    )
    if fmt == "csv":
        return exports.csv_response(rows, filename)
    return exports.xlsx_response(rows, filename, title=title, heading=heading)
