"""Scoping that cannot be forgotten: a query of a scoped model raises unless a scope is active.

The approach of django-scopes (pretix), in the few lines we need, because django-scopes filters
one lookup per dimension and a referral belongs to *either* side (sender OR receiver).

- A model holding personal or organisation-private data declares
  `objects = scoped_manager(lambda organisation: Q(...))`: the rows that organisation may read.
- `ScopeMiddleware` opens the signed-in member's organisation for the request; the API's token
  authentication does the same (`scope_activate`). An anonymous request has no organisation:
  a public page that reads a scoped model says so in its selector (`scopes_disabled()`, narrow).
- The worker, the scheduler, management commands and demo builders read across organisations:
  `maillage.cli.main` runs them under `scopes_disabled()`.
- Outside any scope — a new view, a test marked `scoped` — evaluating a query of a scoped model
  raises `ScopeError`. Creating a row (`objects.create`) and `save()` are not reads: allowed.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Q


class ScopeError(Exception):
    """A scoped model was queried without a scope: say which organisation reads, or disable."""


@dataclass(frozen=True)
class Scope:
    enabled: bool = True
    organisation: Any = None  # an Organisation; None: no organisation reads (anonymous)


ADMIN_PREFIX = "/admin/"
_state: ContextVar[Scope | None] = ContextVar("maillage_scope", default=None)
DISABLED = Scope(enabled=False)


def current_scope():
    return _state.get()


@contextmanager
def scope(*, organisation):
    """Read as `organisation` (None: as nobody — scoped queries raise) inside the block."""
    token = _state.set(Scope(organisation=organisation))
    try:
        yield
    finally:
        _state.reset(token)


@contextmanager
def scopes_disabled():
    """Read across organisations: the worker, commands, demo builders, a narrow public read."""
    token = _state.set(DISABLED)
    try:
        yield
    finally:
        _state.reset(token)


@contextmanager
def unscoped():
    """No scope at all, as in a new view nobody scoped: queries of scoped models raise."""
    token = _state.set(None)
    try:
        yield
    finally:
        _state.reset(token)


def scopes_disable_here():
    """Read across organisations from now on in this thread (the test session, see conftest)."""
    _state.set(DISABLED)


def scope_activate(*, organisation):
    """Read as `organisation` until the enclosing `scope()` or `ScopeMiddleware` ends."""
    _state.set(Scope(organisation=organisation))


def scope_open_for_link(*, organisation):
    """A signed link read in a request opens its organisation's scope for the rest of it.

    The link itself was the permission (checked by its token); a disabled scope (the worker,
    a test's body) stays as it is.
    """
    state = _state.get()
    if state is None or state.enabled:
        _state.set(Scope(organisation=organisation))


def _refuse(queryset):
    raise ScopeError(
        f"Requête sur {queryset.model._meta.label} hors de toute portée : ouvrez la portée de "
        "l'organisation qui lit (scope) ou dites que la lecture traverse les organisations "
        "(scopes_disabled)."
    )


class RefusedQuerySet(models.QuerySet):
    """What a scoped model's manager gives outside a scope: chains, creates, never reads."""

    def _fetch_all(self):
        _refuse(self)

    def count(self):
        _refuse(self)

    def exists(self):
        _refuse(self)

    def aggregate(self, *args, **kwargs):
        _refuse(self)

    def iterator(self, *args, **kwargs):
        _refuse(self)

    def update(self, **kwargs):
        _refuse(self)

    def delete(self):
        _refuse(self)

    def contains(self, obj):
        _refuse(self)

    def explain(self, **options):
        _refuse(self)

    def resolve_expression(self, *args, **kwargs):  # used as a subquery of another query
        _refuse(self)


def scoped_manager(rule, *, base=models.Manager):
    """A manager whose queries keep the rows `rule(organisation)` (a Q) of the current scope."""

    class ScopedManager(base):
        def get_queryset(self):
            queryset = super().get_queryset()
            state = _state.get()
            if state is not None and not state.enabled:
                return queryset
            if state is None or state.organisation is None:
                return _refused(queryset)
            return queryset.filter(rule(state.organisation))

    ScopedManager.__name__ = f"Scoped{base.__name__}"
    return ScopedManager()


_REFUSED_CLASSES = {}


def _refused(queryset):
    """The same queryset (its own methods kept), refusing to read."""
    klass = type(queryset)
    refused = _REFUSED_CLASSES.get(klass)
    if refused is None:
        refused = type(f"Refused{klass.__name__}", (RefusedQuerySet, klass), {})
        _REFUSED_CLASSES[klass] = refused
    clone = queryset._chain()
    clone.__class__ = refused
    return clone


class ScopeMiddleware:
    """Each request reads as the signed-in member's current organisation, and only as it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(ADMIN_PREFIX) and request.user.is_staff:
            state = DISABLED  # the Django admin (staff only) reads across organisations
        else:
            state = Scope(organisation=getattr(request, "organisation", None))
        token = _state.set(state)
        try:
            response = self.get_response(request)
            # The API authenticates inside the view: a streamed body reads in its scope.
            reading = _state.get()
        finally:
            _state.reset(token)
        if response.streaming:
            response.streaming_content = _within(reading, response.streaming_content)
        return response


def _within(state, chunks):
    token = _state.set(state)
    try:
        yield from chunks
    finally:
        _state.reset(token)


def sides(*paths):
    """The rule "the organisation is at any of these paths": `sides("sender", "receiver")`."""

    def rule(organisation):
        condition = Q()
        for path in paths:
            condition |= Q(**{path: organisation})
        return condition

    return rule
