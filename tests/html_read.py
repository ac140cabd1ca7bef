"""Reading pages as HTML, not as text: the tests do not depend on how a template is laid out
(attribute order and line breaks are the formatter's, `make lint-templates`)."""

import lxml.html


def parse(html):
    return lxml.html.fromstring(html)


def first(html, xpath):
    """The first element matching `xpath`, or None."""
    found = parse(html).xpath(xpath)
    return found[0] if found else None


def text_of(element):
    """The element's text as a reader sees it: its words, spaces collapsed."""
    return " ".join(element.text_content().split())
