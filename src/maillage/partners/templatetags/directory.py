"""Template filters of the directory: phones as people read them."""

from django import template

from maillage.partners.validators import phone_display

register = template.Library()


@register.filter
def phone(value):
    """`+33199000101` → `01 99 00 01 01` (E.164 is what we store and publish)."""
    return phone_display(value)


@register.filter
def hours(value):
    """OpenStreetMap opening hours in French words."""
    from maillage.partners.hours import opening_hours_fr

    return opening_hours_fr(value)


@register.filter
def name_on(organisation, moment):
    """The organisation's name on the date of `moment` (a referral of 2023 says Pôle emploi)."""
    from datetime import datetime

    from django.utils import timezone

    if isinstance(moment, datetime):
        moment = timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()
    return organisation.name_on(moment) if moment else organisation.name
