"""Error answers: French pages in the site's layout, the shared JSON shape under /api/.

`urls.py` names these as `handler400/403/404/500`, `CSRF_FAILURE_VIEW` names `csrf_failure`,
and the middleware (core/middleware.py) uses `error_response` for bare error responses (405…)
and `database_unavailable` for the 503.
"""

import logging
import re
import sys

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import BadRequest
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.template import loader

from maillage.core.logging import log_event

logger = logging.getLogger("maillage.errors")

RETRY_AFTER_SECONDS = 30

# status → (template, machine code, French summary for JSON bodies)
ERRORS = {
    400: ("400.html", "bad_request", "La demande est mal formée."),
    401: ("400.html", "unauthenticated", "Authentification requise."),
    403: ("403.html", "forbidden", "Vous n'avez pas accès à cette ressource."),
    404: ("404.html", "not_found", "Cette adresse n'existe pas."),
    405: ("405.html", "method_not_allowed", "Cette méthode n'est pas acceptée à cette adresse."),
    413: ("400.html", "too_large", "La demande est trop volumineuse."),
    429: (
        "400.html",
        "rate_limited",
        "Trop de demandes en peu de temps : réessayez dans un instant.",
    ),
    500: ("500.html", "server_error", "Une erreur inattendue s'est produite de notre côté."),
    503: ("503.html", "unavailable", "Maillage est momentanément indisponible."),
}
GENERIC_4XX = ("400.html", "error", "La demande n'a pas abouti.")
# Headers of the original answer that the French one keeps.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate", "X-Request-ID")

_DJANGO_404 = re.compile(r"^No .+ matches the given query\.$")


def is_api(request):
    return request.path.startswith("/api/")


def api_error(status, detail, code, *, errors=()):
    response = JsonResponse({"detail": detail, "code": code, "errors": list(errors)}, status=status)
    response.maillage_error_page = True
    return response


def _minimal_context(request):
    """What base.html needs, without the session, the user or any query."""
    return {
        "user": AnonymousUser(),
        "demo_mode": not settings.PRODUCTION,
        "request_id": getattr(request, "request_id", ""),
    }


def render_error(request, status, *, reason="", template=None, minimal=False):
    """The French page for `status`, with the layout; `minimal` renders it without the database
    (and a failure while rendering with the full context falls back to it)."""
    template = template or ERRORS.get(status, GENERIC_4XX)[0]
    context = {
        "status": status,
        "reason": reason,
        "request_id": getattr(request, "request_id", ""),
    }
    html = None
    if not minimal:
        try:
            html = loader.render_to_string(template, context, request=request)
        except Exception as exc:
            if database_error_is_unavailable(exc):
                return database_unavailable(request, exc)
            logger.exception("error page rendered without its context")
    if html is None:
        html = loader.render_to_string(template, {**_minimal_context(request), **context})
    response = HttpResponse(html, status=status)
    response.maillage_error_page = True
    return response


def error_response(request, status, *, reason=""):
    """The answer for an error: JSON under /api/, the French page elsewhere."""
    if is_api(request):
        _template, code, detail = ERRORS.get(status, GENERIC_4XX)
        return api_error(status, reason or detail, code)
    return render_error(request, status, reason=reason)


# --- Django's error handlers (urls.py) ----------------------------------------------------------
def bad_request(request, exception=None):
    # Only a BadRequest raised by our code carries a message meant for people; Django's
    # SuspiciousOperation messages are technical and English.
    reason = str(exception) if type(exception) is BadRequest else ""
    return error_response(request, 400, reason=reason)


def permission_denied(request, exception=None):
    return error_response(request, 403, reason=str(exception or ""))


def page_not_found(request, exception=None):
    message = exception.args[0] if exception is not None and exception.args else ""
    reason = message if isinstance(message, str) and not _DJANGO_404.match(message) else ""
    return error_response(request, 404, reason=reason)


def server_error(request):
    # Django calls this while it handles the exception, which may come from a middleware
    # (session, authentication) around which the 503 middleware cannot catch anything.
    exc = sys.exc_info()[1]
    if exc is not None and database_error_is_unavailable(exc):
        return database_unavailable(request, exc)
    if is_api(request):
        return error_response(request, 500)
    return render_error(request, 500)


CSRF_REASONS = (
    (
        "CSRF cookie not set",
        "Votre navigateur n'a pas envoyé le cookie de sécurité de Maillage : "
        "autorisez les cookies pour ce site, puis rechargez la page.",
    ),
    ("CSRF token missing", "Le jeton de sécurité du formulaire est absent."),
    (
        "CSRF token from",
        "Le jeton de sécurité du formulaire ne correspond pas : la page a "
        "peut-être été ouverte il y a longtemps, ou dans un autre onglet.",
    ),
    ("Referer checking failed", "La demande ne vient pas d'une page de Maillage."),
    ("Origin checking failed", "La demande ne vient pas d'une page de Maillage."),
)


def csrf_failure(request, reason=""):
    french = next(
        (text for prefix, text in CSRF_REASONS if reason.startswith(prefix)),
        "Le jeton de sécurité du formulaire n'est pas valide.",
    )
    if is_api(request):
        return api_error(403, french, "csrf_failed")
    return render_error(request, 403, reason=french, template="403_csrf.html")


# --- the database is unreachable ----------------------------------------------------------------
_UNAVAILABLE_WORDS = ("locked", "connect", "connection", "server closed", "terminating")


def database_error_is_unavailable(exc):
    """True when `exc` (or what caused it) says the database cannot be reached or used now."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, OperationalError | InterfaceError):
            return True
        if isinstance(exc, DatabaseError) and any(
            word in str(exc).lower() for word in _UNAVAILABLE_WORDS
        ):
            return True
        # Drivers' own errors when raised outside Django's wrapper (psycopg, sqlite3).
        if type(exc).__name__ in ("OperationalError", "InterfaceError"):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def broken_connections_drop():
    """Close this thread's connections that no longer work, so the next request reconnects."""
    for conn in connections.all(initialized_only=True):
        if conn.connection is None or conn.in_atomic_block:
            continue
        try:
            usable = conn.is_usable()
        except Exception:
            usable = False
        if not usable:
            try:
                conn.close()
            except Exception:
                conn.connection = None


def database_unavailable(request, exc=None):
    """503 « Maillage est momentanément indisponible », rendered without touching the database."""
    broken_connections_drop()
    log_event(
        logger,
        "database_unavailable",
        level=logging.WARNING,
        error=type(exc).__name__ if exc is not None else "",
        path=request.path,
    )
    if is_api(request):
        response = api_error(
            503,
            "Maillage est momentanément indisponible (base de données injoignable) : "
            f"réessayez dans {RETRY_AFTER_SECONDS} secondes.",
            "unavailable",
        )
    else:
        response = render_error(request, 503, minimal=True)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # Logged above as a warning; Django's "Service Unavailable" error line would repeat it.
    response._has_been_logged = True
    return response
