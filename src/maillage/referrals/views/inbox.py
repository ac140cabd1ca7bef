"""Inboxes: received, sent, and all (managers), with filters, search, sorting and pages.

The search is a person's name: it never travels in a URL (access logs, browser history,
Referer). The filter form is POSTed; the view keeps the name in the session under a random
key and redirects to the inbox with that key (`recherche=`) and the other filters in the URL,
so that pagination, sorting and the back button work and the URL says nothing about anyone.
"""

import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import cached_property

from maillage.accounts.enums import Role
from maillage.accounts.models import Membership
from maillage.accounts.permissions import membership_required
from maillage.referrals import selectors
from maillage.referrals.forms import InboxFilterForm, receivers

PAGE_SIZES = (10, 25, 50, 100)
# Counting stops here: past 10,000 the exact figure helps nobody, and an operator's whole
# history (hundreds of thousands of rows) would cost a full index scan on every page.
COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """A paginator whose count stops at COUNT_CAP (`capped` tells the page to say so)."""

    @cached_property
    def count(self):
        # Only ids, no joins, no order: an index-only scan of at most COUNT_CAP + 1 entries.
        lean = self.object_list.select_related(None).order_by().values_list("pk")
        return lean[: COUNT_CAP + 1].count()

    @property
    def capped(self):
        return self.count > COUNT_CAP


BOX_TITLES = {
    "received": "Orientations reçues",
    "sent": "Orientations envoyées",
    "all": "Toutes les orientations",
}


SEARCHES_SESSION_KEY = "referrals.inbox.searches"
# A session keeps the last few searches (the back button finds them), not every one ever made.
SEARCHES_KEPT = 20
SEARCH_PARAM = "recherche"
# The filters that may appear in the URL: none of them says who the person is.
URL_FILTERS = ("status", "operator", "counsellor", "since", "until", "sort", "per_page")


def _search_keep(request, term):
    """Keep `term` in the session; return the opaque key that stands for it in the URL."""
    searches = dict(request.session.get(SEARCHES_SESSION_KEY, {}))
    for key, kept in searches.items():
        if kept == term:
            return key
    key = secrets.token_urlsafe(9)
    searches[key] = term
    while len(searches) > SEARCHES_KEPT:
        searches.pop(next(iter(searches)))
    request.session[SEARCHES_SESSION_KEY] = searches
    return key


def _search_post(request, box):
    """The filter form, POSTed: redirect to the inbox URL that carries no name."""
    params = QueryDict(mutable=True)
    params["box"] = box
    for name in URL_FILTERS:
        # Every real value is short (a date, a slug, a number): a longer one is cut, so that
        # a tampered form cannot make the redirect longer than a URL may be.
        value = request.POST.get(name, "")[:100]
        if value:
            params[name] = value
    term = " ".join(request.POST.get("q", "").split())[:100]
    if term:
        params[SEARCH_PARAM] = _search_keep(request, term)
    return redirect(f"{reverse('referrals:inbox')}?{params.urlencode()}")


def _search_term(request):
    """The name searched for, from the session key in the URL ("" when none or expired)."""
    key = request.GET.get(SEARCH_PARAM)
    if not key:
        return ""
    term = request.session.get(SEARCHES_SESSION_KEY, {}).get(key)
    if term is None:
        messages.info(request, "Cette recherche a expiré : saisissez à nouveau le nom.")
        return ""
    return term


def _page_size(value):
    try:
        size = int(value)
    except (TypeError, ValueError):
        return 25
    return size if size in PAGE_SIZES else 25


def counsellor_choices(organisation):
    members = (
        Membership.objects.active()
        .filter(organisation=organisation, role__in=(Role.COUNSELLOR, Role.MANAGER))
        .select_related("user")
        .order_by("user__last_name", "user__email")
    )
    return [(m.user_id, str(m.user)) for m in members]


@membership_required(Role.COUNSELLOR, Role.MANAGER)
def inbox(request):
    organisation = request.organisation
    box = (request.POST if request.method == "POST" else request.GET).get("box") or "received"
    if box not in selectors.BOXES:
        box = "received"
    if box not in selectors.boxes_for(request.membership):
        raise PermissionDenied("Seuls les responsables voient toutes les orientations.")
    if request.method == "POST":
        return _search_post(request, box)
    data = request.GET.copy()
    data.pop("q", None)  # a name typed into a URL by hand is not a search: it stays out
    term = _search_term(request)
    if term:
        data["q"] = term
    data.pop(SEARCH_PARAM, None)
    form = InboxFilterForm(
        data or None,
        operators=receivers().exclude(pk=organisation.pk),
        counsellors=counsellor_choices(organisation),
    )
    filters = {}
    if form.is_bound:
        # The valid filters apply; the page says which kind of filter was ignored.
        form.is_valid()
        filters = form.cleaned_data
    queryset = selectors.inbox(
        organisation=organisation,
        box=box,
        status=filters.get("status") or None,
        since=filters.get("since"),
        until=filters.get("until"),
        operator=filters.get("operator"),
        counsellor=filters.get("counsellor"),
        q=filters.get("q") or "",
        sort=filters.get("sort") or "recent",
    ).only(*selectors.LIST_FIELDS)
    page_size = _page_size(request.GET.get("per_page"))
    page = CappedPaginator(queryset, page_size).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("q", None)
    return render(
        request,
        "referrals/inbox.html",
        {
            "box": box,
            "boxes": [(b, BOX_TITLES[b]) for b in selectors.boxes_for(request.membership)],
            "title": BOX_TITLES[box],
            "form": form,
            "page": page,
            "page_size": page_size,
            "page_sizes": PAGE_SIZES,
            "query": query.urlencode(),
            "count_cap": COUNT_CAP,
            "filters": filters,
            "operator_choices": [(o.slug, o.name) for o in form.fields["operator"].queryset],
            "counsellor_choices": form.fields["counsellor"].choices[1:],
            "status_choices": form.fields["status"].choices[1:],
            "sort_choices": form.fields["sort"].choices,
        },
    )
