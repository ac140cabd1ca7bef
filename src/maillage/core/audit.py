"""Writing the audit log: services call `audit_log` once per state change or sensitive read."""

from maillage.core.batch import insert_row
from maillage.core.models import AuditEntry


def audit_log(*, actor, action, obj=None, organisation=None, data=None):
    """Record `action` (a dotted code such as `accounts.membership.deactivated`)."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return insert_row(
        AuditEntry(
            actor=actor,
            organisation=organisation,
            action=action,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            object_repr=str(obj)[:200] if obj is not None else "",
            data=data or {},
        )
    )
