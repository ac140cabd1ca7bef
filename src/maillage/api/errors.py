"""One error shape for the whole API, and the statuses each operation declares.

Every error body is `{"detail": "<French>", "code": "<machine_code>", "errors": [{field, message}]}`
(`errors` is `[]` when no field applies), whatever raised it: authentication, validation, a
service's DomainError, a 404, a throttle, an unreachable database or an unexpected bug.
`responses()` builds the `response={...}` of an operation so that the statuses are declared in
one place: 422 and 503 everywhere, 401 on secured operations, 429 on throttled ones.
"""

import logging
from functools import partial

from django.db import InterfaceError, OperationalError
from django.http import Http404
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from maillage.core.error_views import broken_connections_drop
from maillage.core.errors import DomainError
from maillage.core.ratelimits import api_throttled

logger = logging.getLogger("maillage.api")

UNAVAILABLE = "Maillage est momentanément indisponible. Réessayez dans un instant."
RETRY_AFTER_SECONDS = 30


class FieldErrorOut(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    """The body of every error answer of the API."""

    detail: str
    code: str
    errors: list[FieldErrorOut]


def responses(ok, *, auth=True, throttled=False, statuses=()):
    """The `response=` of an operation: its success schemas and every error it can answer.

    `ok` is a schema (200) or a dict {status: schema}. 422 (bad parameter or body) and 503
    (database unreachable) can happen everywhere; 401 when `auth`; 429 when `throttled`;
    `statuses` adds the operation's own (403, 404, 409).
    """
    result = dict(ok) if isinstance(ok, dict) else {200: ok}
    codes = {422, 503, *statuses}
    if auth:
        codes.add(401)
    if throttled:
        codes.add(429)
    for code in sorted(codes):
        result[code] = ErrorOut
    return result


FRENCH_MESSAGES = {
    "missing": "Ce champ est obligatoire.",
    "string_type": "Une chaîne de caractères est attendue.",
    "int_type": "Un nombre entier est attendu.",
    "int_parsing": "Un nombre entier est attendu.",
    "int_parsing_size": "Ce nombre est trop grand.",
    "int_from_float": "Un nombre entier est attendu.",
    "float_type": "Un nombre est attendu.",
    "float_parsing": "Un nombre est attendu.",
    "finite_number": "Un nombre fini est attendu.",
    "bool_type": "Un booléen (true ou false) est attendu.",
    "bool_parsing": "Un booléen (true ou false) est attendu.",
    "date_type": "Une date au format AAAA-MM-JJ est attendue.",
    "date_parsing": "Une date au format AAAA-MM-JJ est attendue.",
    "date_from_datetime_parsing": "Une date au format AAAA-MM-JJ est attendue.",
    "date_from_datetime_inexact": "Une date sans heure est attendue (AAAA-MM-JJ).",
    "datetime_type": "Une date et heure ISO 8601 est attendue.",
    "datetime_parsing": "Une date et heure ISO 8601 est attendue.",
    "datetime_from_date_parsing": "Une date et heure ISO 8601 est attendue.",
    "datetime_object_invalid": "Une date et heure ISO 8601 est attendue.",
    "timezone_aware": "Une date et heure avec fuseau horaire est attendue.",
    "list_type": "Une liste est attendue.",
    "dict_type": "Un objet JSON est attendu.",
    "model_type": "Un objet JSON est attendu.",
    "model_attributes_type": "Un objet JSON est attendu.",
    "json_invalid": "Le corps de la requête n'est pas un JSON valide.",
    "extra_forbidden": "Ce champ n'est pas reconnu.",
    "url_parsing": "Une adresse web valide est attendue.",
    "url_scheme": "Une adresse web en http ou https est attendue.",
    "uuid_parsing": "Un identifiant UUID est attendu.",
    "string_unicode": "Une chaîne de caractères valide est attendue.",
}


def _french(error):
    """A French message for a pydantic error; our own validators' messages are kept."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "value_error":
        return str(error.get("msg", "")).removeprefix("Value error, ")
    if kind in ("literal_error", "enum"):
        return f"Valeur non autorisée ; valeurs possibles : {ctx.get('expected', '')}."
    if kind in ("string_too_long", "too_long"):
        return f"Trop long : {ctx.get('max_length', '')} élément(s) ou caractères au plus."
    if kind in ("string_too_short", "too_short"):
        return f"Trop court : {ctx.get('min_length', '')} caractère(s) au moins."
    if kind in ("greater_than_equal", "greater_than"):
        return f"La valeur doit être au moins {ctx.get('ge', ctx.get('gt', ''))}."
    if kind in ("less_than_equal", "less_than"):
        return f"La valeur doit être au plus {ctx.get('le', ctx.get('lt', ''))}."
    if kind == "string_pattern_mismatch":
        return "Format non reconnu."
    return FRENCH_MESSAGES.get(kind, "Valeur invalide.")


def _field_name(loc):
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload")]
    parts = [p for p in parts if not p.startswith(("ninja_pagination", "filters"))]
    return ".".join(parts) or "__all__"


def error_body(detail, code, errors=()):
    return {"detail": str(detail), "code": code, "errors": list(errors)}


# The message of an HttpError raised by ninja itself is English: give the French one.
HTTP_ERROR_CODES = {
    400: (
        "invalid_body",
        "Le corps de la requête ne peut pas être lu : un objet JSON est attendu.",
    ),
    401: ("unauthenticated", "Authentification requise."),
    403: ("forbidden", "Votre rôle ne permet pas cette opération."),
    404: ("not_found", "Introuvable."),
    405: ("method_not_allowed", "Méthode non autorisée."),
    409: ("conflict", "Conflit avec l'état actuel."),
}


def register(api):
    def respond(request, body, status):
        return api.create_response(request, body, status=status)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return respond(
            request,
            error_body(
                "Authentification requise : jeton d'accès manquant, invalide ou révoqué.",
                "unauthenticated",
            ),
            401,
        )

    @api.exception_handler(ValidationError)
    def invalid(request, exc):
        errors = [
            {"field": _field_name(error.get("loc", ())), "message": _french(error)}
            for error in exc.errors
        ]
        return respond(request, error_body("Données invalides.", "invalid", errors), 422)

    @api.exception_handler(DomainError)
    def domain_error(request, exc):
        status = 422 if exc.status_code == 400 else exc.status_code
        errors = [{"field": exc.field, "message": exc.message}] if exc.field else []
        return respond(request, error_body(exc.message, exc.code, errors), status)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return respond(request, error_body("Introuvable.", "not_found"), 404)

    # 429 with `Retry-After` and the French wait, from the shared rate limits.
    api.add_exception_handler(Throttled, partial(api_throttled, api))

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        status = exc.status_code
        code, french = HTTP_ERROR_CODES.get(status, ("error", "La requête a échoué."))
        if status == 400:
            # "Cannot parse request body": an unreadable body is invalid input, like the rest.
            return respond(
                request, error_body(french, code, [{"field": "__all__", "message": french}]), 422
            )
        message = str(exc)
        # Our own HttpErrors carry a French message; ninja's own carry an English one.
        detail = french if message.isascii() else message
        return respond(request, error_body(detail, code), status)

    def unavailable(request, exc):
        logger.warning("API: base de données indisponible (%s)", type(exc).__name__)
        broken_connections_drop()  # the next request reconnects once the database is back
        response = respond(request, error_body(UNAVAILABLE, "unavailable"), 503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    api.add_exception_handler(OperationalError, unavailable)
    api.add_exception_handler(InterfaceError, unavailable)

    @api.exception_handler(Exception)
    def server_error(request, exc):
        logger.exception("API: erreur inattendue sur %s %s", request.method, request.path)
        return respond(
            request,
            error_body(
                "Une erreur inattendue s'est produite ; elle a été enregistrée. "
                "Réessayez plus tard.",
                "server_error",
            ),
            500,
        )
