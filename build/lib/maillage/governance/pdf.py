"""PDF export of minutes with WeasyPrint when the system has it; otherwise a print-ready page.

WeasyPrint needs Pango and friends at the system level, so it stays optional: the import is
tried at run time and its absence is told to the user in French, never as a 500.
"""

from pathlib import Path

PRINT_CSS = Path(__file__).parent / "static" / "governance" / "print.css"


def weasyprint_available():
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):  # OSError: the Python package is there, its libraries are not
        return False
    return True


def render_pdf(html, *, base_url):
    from weasyprint import CSS, HTML

    return HTML(string=html, base_url=base_url).write_pdf(
        stylesheets=[CSS(string=PRINT_CSS.read_text(encoding="utf-8"))]
    )
