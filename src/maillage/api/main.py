"""The NinjaAPI instance under /api/v1/: one router per area."""

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
# Each area's router declares its own paths (e.g. "/routing/decisions", "/referrals").
api.add_router("/", routing_router)
api.add_router("/", referrals_router)
api.add_router("/", events_router)
api.add_router("/", training_router)
api.add_router("/", governance_router)
api.add_router("/", indicators_router)
api.add_router("/", data_inclusion_router)
api.add_router("/", hsds_router)
