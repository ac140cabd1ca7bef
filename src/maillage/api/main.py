"""The NinjaAPI instance under /api/v1/: one router per area."""

from ninja import NinjaAPI

from maillage.api import errors
from maillage.api.me import router as me_router
from maillage.api.organisations import router as organisations_router

api = NinjaAPI(
    title="Maillage API",
    version="1",
    description=(
        "API du partenariat : annuaire des opérateurs, aiguillage, orientations, évènements, "
        "professionnalisation croisée, gouvernance et indicateurs. Authentification : "
        "`Authorization: Bearer <jeton>` (créé par `maillage token create`)."
    ),
    urls_namespace="api",
    docs_url="/docs",
)
errors.register(api)
api.add_router("/", me_router)
api.add_router("/organisations", organisations_router)
