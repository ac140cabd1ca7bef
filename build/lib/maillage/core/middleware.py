"""Middleware of the runtime: the request log line, the 503 on database outages, French errors.

Order (settings.MIDDLEWARE, outermost first): RequestLogMiddleware, DatabaseUnavailableMiddleware,
ErrorPageMiddleware, then Django's own.
"""

import logging
import re
import time
import uuid

from django.utils.functional import SimpleLazyObject, empty

from maillage.core import error_views
from maillage.core.logging import log_event, request_id_var

logger = logging.getLogger("maillage.request")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
# URL parameters that are secrets (signed links, password reset): never written to the logs.
SECRET_URL_KWARGS = ("token", "uidb64", "key")


def request_id_from(header):
    """The caller's X-Request-ID when it is a plain short id, a new one otherwise."""
    if header and _REQUEST_ID.match(header):
        return header
    return uuid.uuid4().hex


def _loggable_path(request):
    """The path without the query string (search terms stay out) and without secret tokens."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for name in SECRET_URL_KWARGS:
            value = match.kwargs.get(name)
            if isinstance(value, str) and value:
                path = path.replace(value, f"<{name}>")
    return path


def _user_id(request):
    """The user's id if the request already loaded the user (never a query for the log)."""
    user = request.__dict__.get("user")
    if isinstance(user, SimpleLazyObject):
        user = user._wrapped
        if user is empty:
            return None
    return getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None


class RequestLogMiddleware:
    """One line per request: id, method, path (no query string), status, duration, user id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_from(request.META.get("HTTP_X_REQUEST_ID"))
        token = request_id_var.set(request.request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.request_id
            status = response.status_code
            log_event(
                logger,
                "request",
                level=logging.WARNING if status >= 500 else logging.INFO,
                method=request.method,
                path=_loggable_path(request),
                status=status,
                duration_ms=round((time.perf_counter() - started) * 1000, 1),
                user_id=_user_id(request),
            )
            return response
        finally:
            request_id_var.reset(token)


class DatabaseUnavailableMiddleware:
    """A French 503 (JSON under /api/) with Retry-After when the database cannot be reached.

    `process_exception` catches what views raise; what the middleware inside this one raises
    (sessions, authentication, memberships) reaches Django's 500 handler, which gives the same
    503 (`error_views.server_error`). The broken connection is closed so that the next request
    reconnects by itself once the database is back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        except Exception as exc:  # only reached if Django lets an exception through
            if error_views.database_error_is_unavailable(exc):
                return error_views.database_unavailable(request, exc)
            raise

    def process_exception(self, request, exception):
        if error_views.database_error_is_unavailable(exception):
            return error_views.database_unavailable(request, exception)
        return None


class ErrorPageMiddleware:
    """Bare error answers (Django's 405, an empty 403…) become the French page, or JSON under
    /api/; pages that already explain themselves (a form with its errors) are kept."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        status = response.status_code
        if (
            status < 400
            or getattr(response, "maillage_error_page", False)
            or getattr(response, "streaming", False)
        ):
            return response
        content_type = response.get("Content-Type", "")
        if error_views.is_api(request):
            if "json" in content_type:
                return response
        elif response.content.strip() and not content_type.startswith("text/plain"):
            return response
        french = error_views.error_response(request, status)
        for header in error_views.KEPT_HEADERS:
            if header in response:
                french[header] = response[header]
        return french
