"""Template filters of the indicators: counts go through the suppression rule."""

from django import template

from maillage.indicators import suppression

register = template.Library()


@register.filter
def count(value):
    """A count as shown to people: "< 5" under the threshold."""
    return suppression.label(value)
