"""The NinjaAPI instance under /api/v1/: one router per area."""

import functools

from django.urls import URLPattern
from ninja import NinjaAPI

from maillage.api import errors
from maillage.api.data_inclusion import router as data_inclusion_router
from maillage.api.events import router as events_router
from maillage.api.governance import router as governance_router
from maillage.api.hsds import router as hsds_router
from maillage.api.indicators import router as indicators_router
from maillage.api.me import router as me_router
from maillage.api.organisations import router as organisations_router
from maillage.api.referrals import router as referrals_router
from maillage.api.routing import router as routing_router
from maillage.api.training import router as training_router


class MaillageAPI(NinjaAPI):
    """NinjaAPI whose 405 (answered by ninja outside any exception handler) is JSON too."""

    def _get_urls(self):
        patterns = super()._get_urls()
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = _json_not_allowed(self, pattern.callback)
        return patterns


def _json_not_allowed(api, view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code != 405 or response.get("Content-Type", "").startswith(
            "application/json"
        ):
            return response
        answer = api.create_response(
            request,
            errors.error_body("Méthode non autorisée sur cette adresse.", "method_not_allowed"),
            status=405,
        )
        answer["Allow"] = response.get("Allow", "")
        return answer

    return wrapper


api = MaillageAPI(
    title="Maillage API",
    version="1",
    description=(
        "API du partenariat : annuaire des opérateurs, aiguillage, orientations, évènements, "
        "professionnalisation croisée, gouvernance et indicateurs. Authentification : "
        "`Authorization: Bearer <jeton>` (créé par `maillage token create`).\n\n"
        "Erreurs : toujours `{detail, code, errors: [{field, message}]}` en JSON, en français "
        "(`errors` vide quand aucun champ n'est en cause) : 401 sans jeton valide, 403 quand le "
        "rôle ne le permet pas, 404 pour ce qui n'existe pas ou n'est pas visible, 409 en cas "
        "de conflit d'état, 422 pour une donnée invalide (corps illisible, date hors "
        "1900–2100, nombre hors limites, identifiant non numérique ou hors de 1 à 2^63-1), 429 "
        "au-delà des limites par adresse des routes publiques (avec `Retry-After`), 503 "
        "quand la base est indisponible (avec `Retry-After`).\n\n"
        "Listes : `{count, next, previous, results}`, paramètres `page` (à partir de 1) et "
        "`page_size` (1 à 100, 50 par défaut) ; au-delà de la dernière page, `results` est vide."
    ),
    urls_namespace="api",
    docs_url="/docs",
)
errors.register(api)
api.add_router("/", me_router)
api.add_router("/organisations", organisations_router)
# Each area's router declares its own paths (e.g. "/routing/decisions", "/referrals").
api.add_router("/", routing_router)
api.add_router("/", referrals_router)
api.add_router("/", events_router)
api.add_router("/", training_router)
api.add_router("/", governance_router)
api.add_router("/", indicators_router)
api.add_router("/", data_inclusion_router)
api.add_router("/", hsds_router)
