"""Issuing certificates of attendance: one row per attended registration, with its token."""

from django.db import IntegrityError, transaction

from maillage.core.audit import audit_log
from maillage.core.errors import DomainError
from maillage.events.enums import RegistrationStatus
from maillage.training.models import Certificate


def certificate_issue(*, actor, session, registration):
    """The certificate of this registration, created the first time (idempotent)."""
    if registration.status != RegistrationStatus.ATTENDED:
        raise DomainError(
            "L'attestation n'est délivrée qu'aux personnes pointées présentes.",
            code="not_attended",
        )
    if registration.event_id != session.event_id:
        raise DomainError("Cette inscription n'est pas une inscription à la session.")
    existing = Certificate.objects.filter(registration=registration).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(session=session, registration=registration)
            audit_log(
                actor=actor,
                action="training.certificate.issued",
                obj=certificate,
                organisation=registration.sent_by_organisation,
                data={"session": session.pk},
            )
    except IntegrityError:
        # Two downloads at once: the other one issued it.
        return Certificate.objects.get(registration=registration)
    return certificate
