"""Certificates of attendance (PDF), only ever produced for a participant marked present.

Rendered from the HTML template by the one PDF engine (`maillage.core.pdf`, tagged PDF/UA-1).
"""

from django.utils import timezone

from maillage.core import french
from maillage.core.errors import DomainError
from maillage.core.pdf import pdf_render
from maillage.events.enums import RegistrationStatus


def format_hours(hours):
    """3 → "3", 3.5 → "3,5" (French decimal comma, no trailing zero)."""
    text = f"{hours:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def certificate_context(session, registration):
    event = session.event
    starts, ends = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
    if starts.date() == ends.date():
        when = f"le {french.date_fr(starts)}, de {french.time_fr(starts)} à {french.time_fr(ends)}"
    else:
        when = f"du {french.date_fr(starts)} au {french.date_fr(ends)}"
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
    }


def certificate_pdf(session, registration):
    """The PDF bytes; a DomainError unless the registration was marked present."""
    if registration.status != RegistrationStatus.ATTENDED:
        raise DomainError(
            "L'attestation n'est délivrée qu'aux personnes pointées présentes.",
            code="not_attended",
        )
    return pdf_render(
        "training/sessions/certificate.html", certificate_context(session, registration)
    )
