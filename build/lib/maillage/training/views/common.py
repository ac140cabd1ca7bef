"""Helpers shared by the training pages."""

from django.core.paginator import Paginator

from maillage.core.errors import DomainError


def form_error(form, error: DomainError):
    """Show a domain error on the form: on its field when the form has it, else on top."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def paginate(request, items, per_page=20):
    paginator = Paginator(items, per_page)
    return paginator.get_page(request.GET.get("page"))


def query_without_page(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
