"""Certificates of attendance (PDF), only ever produced for a participant marked present.

Rendered from the HTML template by the one PDF engine (`maillage.core.pdf`, tagged PDF/UA-1).
"""

from django.conf import settings
from django.utils import timezone

from maillage.core import french
from maillage.core.errors import DomainError
from maillage.core.pdf import pdf_render
from maillage.events.enums import RegistrationStatus


def format_hours(hours):
    """3 → "3", 3.5 → "3,5" (French decimal comma, no trailing zero)."""
    text = f"{hours:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def initials(first_name, last_name):
    """« Camille Dupont-Martin » → « C. D.-M. »: enough to match a certificate, no more."""

    def of(name):
        parts = [p for p in (name or "").replace("'", " ").split() if p]
        return " ".join(
            "-".join(f"{piece[0].upper()}." for piece in part.split("-") if piece) for part in parts
        )

    return " ".join(p for p in (of(first_name), of(last_name)) if p) or "—"


def when_fr(event):
    starts, ends = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
    if starts.date() == ends.date():
        return f"le {french.date_fr(starts)}, de {french.time_fr(starts)} à {french.time_fr(ends)}"
    return f"du {french.date_fr(starts)} au {french.date_fr(ends)}"


def verify_url(certificate):
    return f"{settings.SITE_URL}{certificate.get_absolute_url()}"


def verification_context(certificate):
    """What the public page confirms: initials, session title, date, hours — nothing else."""
    session = certificate.session
    registration = certificate.registration
    return {
        "initials": initials(registration.first_name, registration.last_name),
        "title": session.event.title,
        "when": when_fr(session.event),
        "hours": format_hours(session.hours),
    }


def certificate_context(session, registration, certificate=None):
    event = session.event
    when = when_fr(event)
    hosts = ", ".join(h.name for h in session.hosts.all())
    person = f"{registration.first_name} {registration.last_name}".strip(" -")
    return {
        "person": person,
        "organisation": registration.sent_by_organisation.name
        if registration.sent_by_organisation
        else "",
        "title": event.title,
        "theme": session.get_theme_display(),
        "when": when,
        "hours": format_hours(session.hours),
        "hosts": hosts,
        "place": ", ".join(p for p in (event.venue, event.address) if p) or "à distance",
        "reference": f"MLG-{event.pk:05d}-{registration.pk:06d}",
        "issued_on": french.date_fr(timezone.localdate()),
        "verify_url": verify_url(certificate) if certificate is not None else "",
    }


def certificate_pdf(session, registration, certificate=None):
    """The PDF bytes; a DomainError unless the registration was marked present."""
    if registration.status != RegistrationStatus.ATTENDED:
        raise DomainError(
            "L'attestation n'est délivrée qu'aux personnes pointées présentes.",
            code="not_attended",
        )
    return pdf_render(
        "training/sessions/certificate.html",
        certificate_context(session, registration, certificate),
    )
