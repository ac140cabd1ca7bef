"""One pagination style for every list of the API: `{count, next, previous, results}`.

`page` (from 1) and `page_size` (1–100, 50 by default) are query parameters; out of range is a
French 422. A page beyond the last is an empty `results` with the true `count` (and a
`previous` link to the last page), never a 404 nor a 500, however large the number.
"""

from typing import Any
from urllib import parse

from ninja import Field, Schema
from ninja.pagination import PaginationBase, paginate

from maillage.core.parsing import INT_MAX

PAGE_SIZE = 50
MAX_PAGE_SIZE = 100


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=INT_MAX, description="Numéro de page, à partir de 1.")
    page_size: int = Field(
        PAGE_SIZE,
        ge=1,
        le=MAX_PAGE_SIZE,
        description=f"Éléments par page (au plus {MAX_PAGE_SIZE}).",
    )


class PageNumber(PaginationBase):
    Input = PageQuery

    class Output(Schema):
        count: int
        next: str | None
        previous: str | None
        results: list[Any]

    items_attribute = "results"

    def paginate_queryset(self, queryset, pagination, request, **params):
        size = pagination.page_size
        page = pagination.page
        count = self._items_count(queryset)
        offset = (page - 1) * size
        results = queryset[offset : offset + size] if offset < count else []
        last = max(1, -(-count // size))
        return {
            "count": count,
            "next": _page_url(request, page + 1) if offset + size < count else None,
            "previous": _page_url(request, min(page - 1, last)) if page > 1 else None,
            "results": results,
        }


def _page_url(request, page):
    scheme, netloc, path, query, fragment = parse.urlsplit(request.build_absolute_uri())
    params = parse.parse_qs(query, keep_blank_values=True)
    params["page"] = [str(page)]
    return parse.urlunsplit(
        (scheme, netloc, path, parse.urlencode(sorted(params.items()), doseq=True), fragment)
    )


class Mapped:
    """A queryset whose page is turned into dicts only once sliced (count without loading)."""

    def __init__(self, queryset, function):
        self.queryset = queryset
        self.function = function

    def all(self):
        return self

    def count(self):
        return self.queryset.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        return [self.function(item) for item in self.queryset[index]]


def paginated(func: Any) -> Any:
    """Decorator of a list operation (`response={200: list[X], ...}`)."""
    return paginate(PageNumber)(func)
