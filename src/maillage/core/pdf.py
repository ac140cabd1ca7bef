"""The one PDF engine: WeasyPrint renders an HTML template into a tagged PDF (PDF/UA-1).

Minutes, certificates of attendance and the activity report all go through `pdf_render`, so
they share one layout engine and one stylesheet (`core/static/maillage/pdf.css`, then each
template's own styles). WeasyPrint is a main dependency; its system libraries (Pango,
HarfBuzz, fonts) are Debian packages that the Makefile and `.ci/run` install when missing.
PDF/UA needs a language and a title: every template sets `<html lang="fr">` and `<title>`.
"""

from pathlib import Path

from django.template.loader import render_to_string

BASE_CSS = Path(__file__).resolve().parent.parent / "static" / "maillage" / "pdf.css"
PDF_VARIANT = "pdf/ua-1"


def available():
    """True when WeasyPrint and its system libraries load (always, on a `make` install)."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):  # OSError: the package is there, its libraries are not
        return False
    return True


def html_to_pdf(html, *, base_url=None, stylesheets=()):
    """PDF bytes of an HTML document, tagged for accessibility (PDF/UA-1)."""
    from weasyprint import CSS, HTML

    sheets = [CSS(filename=str(BASE_CSS))] if BASE_CSS.exists() else []
    sheets += [CSS(string=sheet) for sheet in stylesheets]
    return HTML(string=html, base_url=base_url).write_pdf(
        stylesheets=sheets, pdf_variant=PDF_VARIANT
    )


def pdf_render(template, context, *, request=None, base_url=None, stylesheets=()):
    """Render `template` with `context` and return the PDF bytes."""
    html = render_to_string(template, {**context, "for_pdf": True}, request)
    if base_url is None and request is not None:
        base_url = request.build_absolute_uri("/")
    return html_to_pdf(html, base_url=base_url, stylesheets=stylesheets)


def pdf_response(content, *, filename):
    from django.http import HttpResponse

    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
