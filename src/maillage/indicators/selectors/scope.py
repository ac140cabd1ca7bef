"""Who sees which indicators: the partnership (coordination, committees) or one operator."""

from dataclasses import dataclass

from maillage.accounts.enums import Role
from maillage.core.errors import Forbidden
from maillage.partners.enums import OrganisationKind

# Roles that see the whole partnership: the coordination, and the committees that steer with
# these figures (aggregated counts only, with small counts hidden).
PARTNERSHIP_ROLES = (Role.COORDINATOR, Role.COMMITTEE_MEMBER)


@dataclass(frozen=True)
class Scope:
    organisation: object = None  # None: the whole partnership

    @property
    def is_partnership(self):
        return self.organisation is None

    @property
    def label(self):
        return "l'ensemble du partenariat" if self.is_partnership else self.organisation.name


def scope_for(membership):
    """The indicators a membership may read; counsellors (and no membership) get a 403."""
    if membership is None:
        raise Forbidden("Vous n'êtes membre d'aucune organisation active.", code="forbidden")
    if membership.role in PARTNERSHIP_ROLES:
        return Scope()
    if membership.role == Role.MANAGER:
        if membership.organisation.kind == OrganisationKind.COORDINATION:
            return Scope()
        return Scope(organisation=membership.organisation)
    raise Forbidden(
        "Les indicateurs sont réservés aux responsables d'opérateur, à la coordination et aux "
        "membres des comités.",
        code="forbidden",
    )
