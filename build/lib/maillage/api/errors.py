"""Uniform JSON errors: French messages; 401/403/404/409/422 with a `detail` body."""

from functools import partial

from django.http import Http404
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from maillage.core.errors import DomainError
from maillage.core.ratelimits import api_throttled

FRENCH_MESSAGES = {
    "missing": "Ce champ est obligatoire.",
    "string_type": "Une chaîne de caractères est attendue.",
    "int_type": "Un nombre entier est attendu.",
    "int_parsing": "Un nombre entier est attendu.",
    "int_from_float": "Un nombre entier est attendu.",
    "float_type": "Un nombre est attendu.",
    "float_parsing": "Un nombre est attendu.",
    "bool_type": "Un booléen (true ou false) est attendu.",
    "bool_parsing": "Un booléen (true ou false) est attendu.",
    "date_type": "Une date au format AAAA-MM-JJ est attendue.",
    "date_parsing": "Une date au format AAAA-MM-JJ est attendue.",
    "date_from_datetime_parsing": "Une date au format AAAA-MM-JJ est attendue.",
    "date_from_datetime_inexact": "Une date sans heure est attendue (AAAA-MM-JJ).",
    "datetime_type": "Une date et heure ISO 8601 est attendue.",
    "datetime_parsing": "Une date et heure ISO 8601 est attendue.",
    "datetime_from_date_parsing": "Une date et heure ISO 8601 est attendue.",
    "list_type": "Une liste est attendue.",
    "dict_type": "Un objet JSON est attendu.",
    "model_type": "Un objet JSON est attendu.",
    "model_attributes_type": "Un objet JSON est attendu.",
    "json_invalid": "Le corps de la requête n'est pas un JSON valide.",
    "extra_forbidden": "Ce champ n'est pas reconnu.",
    "url_parsing": "Une adresse web valide est attendue.",
    "url_scheme": "Une adresse web en http ou https est attendue.",
    "uuid_parsing": "Un identifiant UUID est attendu.",
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
        return f"Trop long : {ctx.get('max_length', '')} caractères au plus."
    if kind in ("string_too_short", "too_short"):
        return f"Trop court : {ctx.get('min_length', '')} caractère(s) au moins."
    if kind in ("greater_than_equal", "greater_than"):
        return f"La valeur doit être au moins {ctx.get('ge', ctx.get('gt', ''))}."
    if kind in ("less_than_equal", "less_than"):
        return f"La valeur doit être au plus {ctx.get('le', ctx.get('lt', ''))}."
    return FRENCH_MESSAGES.get(kind, "Valeur invalide.")


def _field_name(loc):
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload")]
    return ".".join(parts) or "__all__"


def register(api):
    api.add_exception_handler(Throttled, partial(api_throttled, api))  # 429, Retry-After

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return api.create_response(
            request,
            {"detail": "Authentification requise : jeton d'accès manquant, invalide ou révoqué."},
            status=401,
        )

    @api.exception_handler(ValidationError)
    def invalid(request, exc):
        errors = [
            {"field": _field_name(error.get("loc", ())), "message": _french(error)}
            for error in exc.errors
        ]
        return api.create_response(
            request, {"detail": "Données invalides.", "errors": errors}, status=422
        )

    @api.exception_handler(DomainError)
    def domain_error(request, exc):
        status = 422 if exc.status_code == 400 else exc.status_code
        body = {"detail": exc.message, "code": exc.code}
        if exc.field:
            body["errors"] = [{"field": exc.field, "message": exc.message}]
        return api.create_response(request, body, status=status)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, {"detail": "Introuvable."}, status=404)

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)
