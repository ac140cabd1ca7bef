"""The decision a result page shows, read from its data attributes."""

from tests.html_read import first


def page_decision(html):
    """(primary, rule, [alternatives]) of the result page's answer."""
    section = first(html, "//*[@data-primary]")
    assert section is not None, "no decision on the page"
    alternatives = section.get("data-alternatives", "").split()
    return section.get("data-primary"), section.get("data-rule"), alternatives
