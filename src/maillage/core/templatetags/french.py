"""French display filters, built into every template (settings `builtins`).

`{{ day|date_fr }}` "1er décembre 2026", `{{ moment|datetime_fr }}`, `{{ moment|time_fr }}`,
`{{ n|number_fr }}` "378 000", `{{ ratio|percent_fr }}` "16 %", `{{ name|de }}` "d'Apec",
`{{ slug|operator_name }}` the operator's name.
"""

from django import template

from maillage.core import french

register = template.Library()


@register.filter
def date_fr(value, arg=""):
    return french.date_fr(value, weekday=arg == "weekday")


@register.filter
def datetime_fr(value, arg=""):
    return french.datetime_fr(value, weekday=arg == "weekday")


@register.filter
def time_fr(value):
    return french.time_fr(value)


@register.filter
def number_fr(value, decimals=None):
    return french.number_fr(value, decimals)


@register.filter
def percent_fr(value, decimals=0):
    return french.percent_fr(value, decimals)


@register.filter(name="de")
def de_filter(value):
    return french.de(value)


@register.filter
def operator_name(value):
    return french.operator_name(value)


@register.filter
def operator_list(value):
    return french.operator_list(value)
