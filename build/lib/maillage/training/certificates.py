"""Certificates of attendance (PDF), only ever produced for a participant marked present.

WeasyPrint renders the HTML template when it is installed (with its system libraries);
otherwise fpdf2, a pure-Python dependency, draws the same content.
"""

from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone

from maillage.core.errors import DomainError
from maillage.events.enums import RegistrationStatus

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def format_hours(hours):
    """3 → "3", 3.5 → "3,5" (French decimal comma, no trailing zero)."""
    text = f"{hours:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def certificate_context(session, registration):
    event = session.event
    starts, ends = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
    if starts.date() == ends.date():
        when = f"le {starts:%d/%m/%Y}, de {starts:%H:%M} à {ends:%H:%M}"
    else:
        when = f"du {starts:%d/%m/%Y} au {ends:%d/%m/%Y}"
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
        "issued_on": timezone.localdate().strftime("%d/%m/%Y"),
    }


def certificate_pdf(session, registration):
    """The PDF bytes; a DomainError unless the registration was marked present."""
    if registration.status != RegistrationStatus.ATTENDED:
        raise DomainError(
            "L'attestation n'est délivrée qu'aux personnes pointées présentes.",
            code="not_attended",
        )
    context = certificate_context(session, registration)
    try:
        from weasyprint import HTML  # optional: needs Pango and friends on the system
    except (ImportError, OSError):
        return _fpdf(context)
    html = render_to_string("training/sessions/certificate.html", context)
    return HTML(string=html).write_pdf()


def _fpdf(context):
    from fpdf import FPDF

    pdf = FPDF(orientation="L", format="A4")
    pdf.set_title(f"Attestation de présence — {context['title']}")
    pdf.set_author("Maillage — partenariat CEP")
    pdf.set_creator("Maillage")
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if regular.exists() and bold.exists():
        pdf.add_font("Body", "", str(regular))
        pdf.add_font("Body", "B", str(bold))
        family, clean = "Body", str
    else:
        # Core fonts only know Latin-1: typographic signs outside it are replaced.
        family = "Helvetica"

        def clean(text):
            text = str(text).replace("’", "'").replace("—", "-").replace("–", "-")
            return text.encode("latin-1", "replace").decode("latin-1")

    pdf.add_page()
    pdf.set_auto_page_break(False)
    pdf.set_draw_color(0, 0, 145)
    pdf.set_line_width(1)
    pdf.rect(10, 10, 277, 190)
    pdf.set_font(family, "B", 28)
    pdf.set_y(30)
    pdf.cell(0, 14, clean("Attestation de présence"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 13)
    pdf.cell(
        0,
        8,
        clean("Professionnalisation croisée des conseillers du partenariat CEP"),
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(12)
    pdf.set_font(family, "", 14)
    pdf.cell(0, 9, clean("Nous attestons que"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "B", 20)
    pdf.cell(0, 12, clean(context["person"]), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 14)
    if context["organisation"]:
        pdf.cell(
            0, 8, clean(f"({context['organisation']})"), align="C", new_x="LMARGIN", new_y="NEXT"
        )
    pdf.ln(4)
    pdf.cell(0, 9, clean("a participé à la session"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "B", 16)
    pdf.set_x(25)
    pdf.multi_cell(247, 9, clean(f"« {context['title']} »"), align="C")
    pdf.set_font(family, "", 13)
    lines = [
        f"Thème : {context['theme']}",
        f"{context['when']} — {context['hours']} heure(s) de formation",
        f"Lieu : {context['place']}",
        f"Accueillie par : {context['hosts']}",
    ]
    pdf.ln(2)
    for line in lines:
        pdf.set_x(25)
        pdf.multi_cell(247, 8, clean(line), align="C")
    pdf.set_y(178)
    pdf.set_font(family, "", 10)
    pdf.cell(
        0,
        6,
        clean(
            f"Délivrée le {context['issued_on']} par Maillage — référence {context['reference']}"
        ),
        align="C",
    )
    return bytes(pdf.output())
