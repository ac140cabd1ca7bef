"""Uniform JSON errors: French messages; 401/403/404/409/422 with a `detail` body."""

from django.http import Http404
from ninja.errors import AuthenticationError, HttpError, ValidationError

from maillage.core.errors import DomainError


def _field_name(loc):
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload")]
    return ".".join(parts) or "__all__"


def register(api):
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
            {"field": _field_name(error.get("loc", ())), "message": error.get("msg", "")}
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
