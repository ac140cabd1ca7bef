"""GET /me: who the token belongs to."""

from ninja import Router, Schema

from maillage.accounts.enums import Role
from maillage.api.auth import token_auth
from maillage.api.errors import responses
from maillage.api.types import choice

router = Router(tags=["compte"])


class OrganisationRef(Schema):
    slug: str
    name: str


class MeOut(Schema):
    email: str
    first_name: str
    last_name: str
    organisation: OrganisationRef
    role: choice(Role)


@router.get("/me", response=responses(MeOut), auth=token_auth)
def me(request):
    user = request.user
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "organisation": {"slug": request.organisation.slug, "name": request.organisation.name},
        "role": request.membership.role,
    }
