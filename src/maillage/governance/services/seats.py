"""Committee seats, managed by the coordination: add, change, end — each audited."""

from datetime import date

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from maillage.core.audit import audit_log
from maillage.core.errors import DomainError, Forbidden
from maillage.governance.enums import MemberRole
from maillage.governance.models import CommitteeMember
from maillage.governance.selectors import is_coordinator


def _require_coordinator(membership):
    if not is_coordinator(membership):
        raise Forbidden(
            "Seule la coordination du partenariat gère les sièges des comités.",
            code="not_coordinator",
        )


def _person(email, organisation):
    """The active member of `organisation` with this address (or a readable refusal)."""
    email = (email or "").strip()
    if not email:
        raise DomainError("Indiquez l'adresse e-mail de la personne.", field="email")
    user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
    if (
        user is None
        or not user.memberships.filter(organisation=organisation, is_active=True).exists()
    ):
        raise DomainError(
            f"Aucun compte actif de {organisation.name} n'a cette adresse : la personne doit "
            "d'abord être membre de l'organisation qu'elle représente.",
            field="email",
        )
    return user


def _check(role, started_on, ended_on=None):
    if role not in MemberRole.values:
        raise DomainError("Choisissez le rôle au comité.", field="role")
    if not isinstance(started_on, date):
        raise DomainError("Indiquez le début du mandat.", field="started_on")
    if ended_on is not None and ended_on < started_on:
        raise DomainError("La fin du mandat doit suivre son début.", field="ended_on")


def _snapshot(seat):
    return {
        "user": seat.user.email,
        "organisation": seat.organisation.slug,
        "role": seat.role,
        "started_on": seat.started_on.isoformat(),
        "ended_on": seat.ended_on.isoformat() if seat.ended_on else None,
    }


@transaction.atomic
def seat_add(*, actor, membership, committee, email, organisation, role, started_on):
    _require_coordinator(membership)
    _check(role, started_on)
    user = _person(email, organisation)
    if CommitteeMember.objects.current(started_on).filter(committee=committee, user=user).exists():
        raise DomainError(
            f"{user} siège déjà dans ce comité à cette date : modifiez son siège.", field="email"
        )
    try:
        with transaction.atomic():
            seat = CommitteeMember.objects.create(
                committee=committee,
                user=user,
                organisation=organisation,
                role=role,
                started_on=started_on,
            )
    except IntegrityError:
        raise DomainError(
            "Cette personne a déjà un siège commençant ce jour-là.", field="started_on"
        ) from None
    audit_log(
        actor=actor,
        action="governance.seat.added",
        obj=seat,
        organisation=organisation,
        data={"committee": committee.slug, **_snapshot(seat)},
    )
    return seat


@transaction.atomic
def seat_change(*, actor, membership, seat, role, organisation, started_on, ended_on=None):
    _require_coordinator(membership)
    seat = CommitteeMember.objects.select_for_update().select_related("user").get(pk=seat.pk)
    _check(role, started_on, ended_on)
    if (
        organisation.pk != seat.organisation_id
        and not seat.user.memberships.filter(organisation=organisation, is_active=True).exists()
    ):
        raise DomainError(
            f"{seat.user} n'est pas membre de {organisation.name}.", field="organisation"
        )
    before = _snapshot(seat)
    seat.role, seat.organisation, seat.started_on, seat.ended_on = (
        role,
        organisation,
        started_on,
        ended_on,
    )
    seat.save()
    after = _snapshot(seat)
    if after != before:
        audit_log(
            actor=actor,
            action="governance.seat.changed",
            obj=seat,
            organisation=organisation,
            data={"committee": seat.committee.slug, "before": before, "after": after},
        )
    return seat


@transaction.atomic
def seat_end(*, actor, membership, seat, ended_on=None):
    """End a mandate (today by default); the seat stays in the history of the committee."""
    _require_coordinator(membership)
    seat = CommitteeMember.objects.select_for_update().select_related("user").get(pk=seat.pk)
    ended_on = ended_on or timezone.localdate()
    if seat.ended_on is not None and seat.ended_on <= ended_on:
        raise DomainError("Ce mandat est déjà terminé.", code="already_ended")
    if ended_on < seat.started_on:
        raise DomainError("La fin du mandat doit suivre son début.", field="ended_on")
    seat.ended_on = ended_on
    seat.save(update_fields=["ended_on"])
    audit_log(
        actor=actor,
        action="governance.seat.ended",
        obj=seat,
        organisation=seat.organisation,
        data={"committee": seat.committee.slug, "ended_on": ended_on.isoformat()},
    )
    return seat
