"""Convention lifecycle: amendments, renewals (which move the end date), parties joining/leaving."""

from django.db import transaction
from django.db.models import Max

from maillage.accounts.enums import Role
from maillage.core.audit import audit_log
from maillage.core.errors import DomainError, Forbidden
from maillage.governance.enums import AmendmentKind, PartyChangeKind
from maillage.governance.models import ConventionAmendment, ConventionPartyChange
from maillage.partners import services as partners_services
from maillage.partners.enums import SignatoryRole
from maillage.partners.models import Convention


def convention_effective_end(convention):
    """The end date in force: the last renewal or amendment that set one, else the original."""
    amendment = (
        convention.amendments.filter(new_valid_until__isnull=False)
        .order_by("-effective_on", "-number")
        .first()
    )
    return amendment.new_valid_until if amendment else convention.valid_until


def _require_coordinator(membership):
    if membership is None or membership.role != Role.COORDINATOR:
        raise Forbidden("Seule la coordination du partenariat gère les conventions.")


@transaction.atomic
def amendment_add(
    *,
    actor,
    membership,
    convention,
    kind,
    title,
    signed_on,
    effective_on,
    summary="",
    new_valid_until=None,
):
    _require_coordinator(membership)
    convention = Convention.objects.select_for_update().get(pk=convention.pk)
    if kind not in AmendmentKind.values:
        raise DomainError("Type d'avenant inconnu.", field="kind")
    title = (title or "").strip()
    if not title:
        raise DomainError("Indiquez l'objet de l'avenant.", field="title")
    if signed_on is None or effective_on is None:
        raise DomainError(
            "Indiquez les dates de signature et d'entrée en vigueur.", field="signed_on"
        )
    if effective_on < signed_on:
        raise DomainError(
            "L'entrée en vigueur ne peut précéder la signature.", field="effective_on"
        )
    if signed_on < convention.signed_on:
        raise DomainError("Un avenant ne précède pas la convention.", field="signed_on")
    current_end = convention_effective_end(convention)
    if kind == AmendmentKind.RENEWAL:
        if new_valid_until is None:
            raise DomainError(
                "Une reconduction fixe la nouvelle fin de validité.", field="new_valid_until"
            )
        if current_end is not None and new_valid_until <= current_end:
            raise DomainError(
                f"La reconduction doit prolonger la convention au-delà du {current_end:%d/%m/%Y}.",
                field="new_valid_until",
            )
    if new_valid_until is not None and new_valid_until < convention.valid_from:
        raise DomainError(
            "La fin de validité précède le début de la convention.", field="new_valid_until"
        )
    number = (convention.amendments.aggregate(m=Max("number"))["m"] or 0) + 1
    amendment = ConventionAmendment.objects.create(
        convention=convention,
        kind=kind,
        number=number,
        title=title,
        summary=(summary or "").strip(),
        signed_on=signed_on,
        effective_on=effective_on,
        new_valid_until=new_valid_until,
        created_by=actor,
    )
    audit_log(
        actor=actor,
        action=f"governance.convention.{kind}_added",
        obj=convention,
        data={
            "number": number,
            "new_valid_until": new_valid_until.isoformat() if new_valid_until else None,
        },
    )
    return amendment


@transaction.atomic
def party_join(
    *,
    actor,
    membership,
    convention,
    organisation,
    on,
    role=SignatoryRole.SIGNATORY,
    amendment=None,
    note="",
):
    _require_coordinator(membership)
    partners_services.convention_party_join(
        convention=convention, organisation=organisation, role=role, on=on
    )
    return _party_change_log(
        actor=actor,
        convention=convention,
        organisation=organisation,
        kind=PartyChangeKind.JOINED,
        on=on,
        amendment=amendment,
        note=note,
        action="governance.convention.party_joined",
    )


@transaction.atomic
def party_leave(*, actor, membership, convention, organisation, on, amendment=None, note=""):
    _require_coordinator(membership)
    partners_services.convention_party_leave(
        convention=convention, organisation=organisation, on=on
    )
    return _party_change_log(
        actor=actor,
        convention=convention,
        organisation=organisation,
        kind=PartyChangeKind.LEFT,
        on=on,
        amendment=amendment,
        note=note,
        action="governance.convention.party_left",
    )


def _party_change_log(*, actor, convention, organisation, kind, on, amendment, note, action):
    """The dated log row of a party joining or leaving, and its audit entry."""
    change = ConventionPartyChange.objects.create(
        convention=convention,
        organisation=organisation,
        kind=kind,
        on=on,
        amendment=amendment,
        note=(note or "").strip(),
        created_by=actor,
    )
    audit_log(
        actor=actor,
        action=action,
        obj=convention,
        organisation=organisation,
        data={"on": on.isoformat()},
    )
    return change
