"""PDF export of minutes through the one engine (`maillage.core.pdf`, WeasyPrint, PDF/UA-1)."""

from pathlib import Path

from maillage.core import pdf as engine

PRINT_CSS = Path(__file__).parent / "static" / "governance" / "print.css"


def weasyprint_available():
    return engine.available()


def render_pdf(html, *, base_url):
    return engine.html_to_pdf(
        html, base_url=base_url, stylesheets=[PRINT_CSS.read_text(encoding="utf-8")]
    )
