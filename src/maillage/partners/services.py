"""Writes on organisations (coordinators) and conventions' parties — validated, one
transaction each."""

from django.db import transaction
from django.forms.models import model_to_dict

from maillage.core.audit import audit_log
from maillage.core.errors import DomainError
from maillage.partners.models import ConventionSignatory


def _snapshot(organisation):
    data = model_to_dict(organisation, exclude=["departments", "id"])
    data["departments"] = sorted(d.code for d in organisation.departments.all())
    return {k: (str(v) if v is not None else None) for k, v in data.items()}


@transaction.atomic
def organisation_save(*, actor, form):
    """Create or update an organisation from a valid OrganisationForm."""
    instance = form.instance
    creating = instance.pk is None
    before = None if creating else _snapshot(type(instance).objects.get(pk=instance.pk))
    organisation = form.save()
    after = _snapshot(organisation)
    changes = {
        key: {"avant": (before or {}).get(key), "après": value}
        for key, value in after.items()
        if before is None or before.get(key) != value
    }
    audit_log(
        actor=actor,
        action="partners.organisation.created" if creating else "partners.organisation.updated",
        obj=organisation,
        organisation=organisation,
        data=changes,
    )
    return organisation


@transaction.atomic
def organisation_profile_update(*, actor, form):
    """A manager updates their own organisation's public profile (form bound to it)."""
    before = {
        name: getattr(type(form.instance).objects.get(pk=form.instance.pk), name)
        for name in form.Meta.fields
    }
    organisation = form.save()
    audit_log(
        actor=actor,
        action="partners.organisation.profile_updated",
        obj=organisation,
        organisation=organisation,
        data={
            name: {"avant": before[name], "après": getattr(organisation, name)}
            for name in form.Meta.fields
            if before[name] != getattr(organisation, name)
        },
    )
    return organisation


@transaction.atomic
def site_save(*, actor, form):
    creating = form.instance.pk is None
    site = form.save()
    audit_log(
        actor=actor,
        action="partners.site.created" if creating else "partners.site.updated",
        obj=site,
        organisation=site.organisation,
    )
    return site


@transaction.atomic
def site_delete(*, actor, site):
    audit_log(
        actor=actor,
        action="partners.site.deleted",
        obj=site,
        organisation=site.organisation,
        data={"name": site.name, "city": site.city},
    )
    site.delete()


@transaction.atomic
def offer_distribution_update(*, actor, form):
    """A manager says where their offer is delivered and how to ask for it."""
    offer = form.instance
    before = {
        "sites": sorted(str(s.public_id) for s in offer.sites.all()),
        **{name: getattr(offer, name) for name in form.Meta.fields if name != "sites"},
    }
    offer = form.save()
    after = {
        "sites": sorted(str(s.public_id) for s in offer.sites.all()),
        **{name: getattr(offer, name) for name in form.Meta.fields if name != "sites"},
    }
    audit_log(
        actor=actor,
        action="partners.offer.distribution_updated",
        obj=offer,
        organisation=offer.organisation,
        data={k: {"avant": before[k], "après": v} for k, v in after.items() if before[k] != v},
    )
    return offer


# --- Conventions: the parties' rows are written here only; governance composes these with
# its lifecycle log (amendments, party changes), permission check and audit entry.


@transaction.atomic
def convention_party_join(*, convention, organisation, role, on):
    """Make `organisation` a party from `on`; a party that left and comes back keeps one row
    (its latest period). Refused if it is already a party on that date."""
    if on < convention.valid_from:
        raise DomainError("Une adhésion ne précède pas l'entrée en vigueur.", field="on")
    party = (
        ConventionSignatory.objects.select_for_update()
        .filter(convention=convention, organisation=organisation)
        .first()
    )
    if party is not None and (party.left_on is None or party.left_on >= on):
        raise DomainError(
            f"{organisation} est déjà partie à la convention à cette date.", field="organisation"
        )
    if party is None:
        return ConventionSignatory.objects.create(
            convention=convention, organisation=organisation, role=role, joined_on=on
        )
    party.joined_on, party.left_on, party.role = on, None, role
    party.save(update_fields=["joined_on", "left_on", "role"])
    return party


@transaction.atomic
def convention_party_leave(*, convention, organisation, on):
    """End `organisation`'s participation on `on`."""
    party = (
        ConventionSignatory.objects.select_for_update()
        .filter(convention=convention, organisation=organisation)
        .first()
    )
    if party is None or party.left_on is not None:
        raise DomainError(f"{organisation} n'est pas partie à la convention.", field="organisation")
    if on < party.joined_on:
        raise DomainError("Le retrait ne peut précéder l'adhésion.", field="on")
    party.left_on = on
    party.save(update_fields=["left_on"])
    return party
