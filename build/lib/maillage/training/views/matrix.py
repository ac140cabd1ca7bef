"""The training matrix and training histories, on screen and as CSV/XLSX exports."""

from django.shortcuts import render

from maillage.accounts.enums import Role
from maillage.accounts.permissions import membership_required
from maillage.training import exports
from maillage.training.forms.sessions import PeriodForm
from maillage.training.selectors import matrix as matrix_selectors
from maillage.training.selectors import sessions as selectors


def _period(request):
    form = PeriodForm(request.GET or None)
    if form.is_valid():
        return form, form.cleaned_data.get("date_from"), form.cleaned_data.get("date_to")
    return form, None, None


@membership_required(Role.MANAGER, Role.COORDINATOR)
def matrix(request):
    form, date_from, date_to = _period(request)
    result = matrix_selectors.training_matrix(date_from=date_from, date_to=date_to)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        header, rows = exports.matrix_table(result)
        return exports.table_response(header, rows, filename="matrice-formation", fmt=fmt)
    query = request.GET.copy()
    query.pop("format", None)
    return render(
        request,
        "training/sessions/matrix.html",
        {"form": form, "matrix": result, "query": query.urlencode()},
    )


@membership_required()
def history(request):
    membership = request.membership
    context = {"own": selectors.history_of(request.user)}
    if membership.role == Role.MANAGER:
        form, date_from, date_to = _period(request)
        team = selectors.organisation_history(
            membership.organisation, date_from=date_from, date_to=date_to
        )
        fmt = request.GET.get("format")
        if fmt in ("csv", "xlsx"):
            header, rows = exports.history_table(team)
            return exports.table_response(
                header, rows, filename=f"formations-{membership.organisation.slug}", fmt=fmt
            )
        query = request.GET.copy()
        query.pop("format", None)
        context.update({"form": form, "team": team, "query": query.urlencode()})
    return render(request, "training/sessions/history.html", context)
