"""Writes on organisations (coordinators) — validated, audited, one transaction each."""

from django.db import transaction
from django.forms.models import model_to_dict

from maillage.core.audit import audit_log


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
