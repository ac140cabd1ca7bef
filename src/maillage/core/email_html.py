"""The HTML part of an email, from its plain-text part: the same words, links clickable.

Text templates are rendered with autoescape off (they are plain text); this module escapes
that text once for HTML, turns addresses into links and blank lines into paragraphs.
"""

import re

from django.utils.html import escape

LINK = re.compile(r"(https?://[^\s<>\"]+)")


def html_from_text(text, *, title=""):
    paragraphs = [p for p in re.split(r"\n\s*\n", (text or "").strip()) if p.strip()]
    blocks = []
    for paragraph in paragraphs:
        html = escape(paragraph)
        html = LINK.sub(r'<a href="\1">\1</a>', html)
        blocks.append("<p>" + html.replace("\n", "<br>\n") + "</p>")
    return (
        '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head>\n"
        '<body style="font-family: sans-serif; line-height: 1.5; color: #161616;">\n'
        + "\n".join(blocks)
        + "\n</body></html>\n"
    )
