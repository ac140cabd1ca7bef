"""Writes on service offers ("qui propose quoi"): each operator's managers keep their own."""

from django.db import IntegrityError, transaction

from maillage.accounts.enums import Role
from maillage.core.audit import audit_log
from maillage.core.errors import DomainError, Forbidden
from maillage.partners.enums import Mode, Public, Theme
from maillage.partners.models import ServiceOffer

FIELDS = ("title", "description", "publics", "themes", "modes", "how_to_ask")


def _require_manager(membership):
    if membership is None or membership.role != Role.MANAGER:
        raise Forbidden("Seuls les responsables d'un opérateur gèrent son offre de service.")


def _clean(data):
    title = (data.get("title") or "").strip()
    if not title:
        raise DomainError("Donnez un intitulé à l'offre.", code="required", field="title")
    cleaned = {
        "title": title[:200],
        "description": (data.get("description") or "").strip(),
        "how_to_ask": (data.get("how_to_ask") or "").strip(),
    }
    for name, enum, message in (
        ("publics", Public, "Choisissez au moins un public."),
        ("themes", Theme, "Choisissez au moins un service."),
        ("modes", Mode, None),
    ):
        values = list(dict.fromkeys(data.get(name) or []))
        if any(v not in enum.values for v in values):
            raise DomainError("Une valeur n'est pas reconnue.", field=name)
        if message and not values:
            raise DomainError(message, code="required", field=name)
        cleaned[name] = values
    return cleaned


def _save(offer):
    try:
        with transaction.atomic():
            offer.save()
    except IntegrityError as exc:
        raise DomainError(
            "Votre organisation a déjà une offre de ce nom.", code="duplicate", field="title"
        ) from exc


@transaction.atomic
def offer_create(*, actor, membership, data):
    _require_manager(membership)
    offer = ServiceOffer(organisation=membership.organisation, **_clean(data))
    _save(offer)
    audit_log(
        actor=actor,
        action="partners.offer.created",
        obj=offer,
        organisation=offer.organisation,
        data={"title": offer.title},
    )
    return offer


@transaction.atomic
def offer_update(*, actor, membership, offer, data):
    _require_manager(membership)
    offer = ServiceOffer.objects.select_for_update().get(
        pk=offer.pk, organisation=membership.organisation
    )
    cleaned = _clean(data)
    changed = {k: v for k, v in cleaned.items() if getattr(offer, k) != v}
    for name, value in cleaned.items():
        setattr(offer, name, value)
    _save(offer)
    audit_log(
        actor=actor,
        action="partners.offer.updated",
        obj=offer,
        organisation=offer.organisation,
        data={"changed": sorted(changed)},
    )
    return offer


@transaction.atomic
def offer_set_active(*, actor, membership, offer, active):
    _require_manager(membership)
    offer = ServiceOffer.objects.select_for_update().get(
        pk=offer.pk, organisation=membership.organisation
    )
    if offer.is_active != active:
        offer.is_active = active
        offer.save(update_fields=["is_active"])
        audit_log(
            actor=actor,
            action="partners.offer.activated" if active else "partners.offer.deactivated",
            obj=offer,
            organisation=offer.organisation,
        )
    return offer
