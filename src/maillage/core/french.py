"""French display of dates, numbers, elision and operators' names, for pages, emails, exports.

The same helpers back the template filters (`core/templatetags/french.py`, loaded in every
template) and the Python code that writes text (email subjects, CSV cells, PDF lines).
"""

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
# Django's French locale groups thousands with a no-break space: the same here.
THOUSANDS = "\xa0"
VOWELS = set("aeiouyàâäéèêëîïôöùûüÿœæAEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŸŒÆ")


def _parse(value):
    """An ISO text ("2019-12-31", "2026-06-01T14:30:00+02:00") as a date or datetime."""
    if isinstance(value, str):
        text = value.strip()
        try:
            return (
                datetime.fromisoformat(text)
                if "T" in text or " " in text
                else (date.fromisoformat(text))
            )
        except ValueError:
            return value
    return value


def _as_date(value):
    value = _parse(value)
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def day_fr(value):
    """1 → "1er", 2 → "2"."""
    return "1er" if value == 1 else str(value)


def date_fr(value, *, weekday=False):
    """date(2026, 12, 1) → "1er décembre 2026" ("mardi 1er décembre 2026" with weekday)."""
    if value in (None, ""):
        return ""
    day = _as_date(value)
    if not isinstance(day, date):
        return str(value)
    text = f"{day_fr(day.day)} {MONTHS[day.month - 1]} {day.year}"
    return f"{WEEKDAYS[day.weekday()]} {text}" if weekday else text


def time_fr(value):
    """14:30 → "14 h 30", 9:00 → "9 h"."""
    if value in (None, ""):
        return ""
    value = _parse(value)
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    if not hasattr(value, "hour"):
        return str(value)
    return f"{value.hour} h" if value.minute == 0 else f"{value.hour} h {value.minute:02d}"


def datetime_fr(value, *, weekday=False):
    """ "1er décembre 2026 à 14 h 30"."""
    if value in (None, ""):
        return ""
    value = _parse(value)
    if not isinstance(value, datetime):
        return date_fr(value, weekday=weekday)
    return f"{date_fr(value, weekday=weekday)} à {time_fr(value)}"


def number_fr(value, decimals=None):
    """378000 → "378 000", 15.9 → "15,9" (no-break space, decimal comma)."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        try:
            value = Decimal(value.replace(",", "."))
        except ArithmeticError:  # not a number: shown as it is
            return value
    if isinstance(value, bool):
        return str(value)
    if decimals is None:
        if isinstance(value, int) or (isinstance(value, Decimal | float) and value == int(value)):
            text = f"{int(value):,}"
        else:
            text = f"{value:,.2f}".rstrip("0").rstrip(".")
    else:
        text = f"{value:,.{int(decimals)}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", THOUSANDS)


def percent_fr(value, decimals=0):
    """0.159 → "16 %" (a ratio); None → ""."""
    if value in (None, ""):
        return ""
    return f"{number_fr(float(value) * 100, decimals)}\xa0%"


def de(name):
    """ "de" with its elision: "d'Apec", "d'Afdas", "de Pôle emploi"."""
    name = str(name or "").strip()
    if name and name[0] in VOWELS:
        return f"d'{name}"
    return f"de {name}"


_NAMES = {"at": 0.0, "names": None}
NAMES_SECONDS = 60


def operator_names():
    """{slug: name} of every organisation, read once per request (or per minute elsewhere)."""
    import time

    from maillage.partners.models import Organisation

    now = time.monotonic()
    if _NAMES["names"] is None or now - _NAMES["at"] > NAMES_SECONDS:
        _NAMES["names"] = dict(Organisation.objects.values_list("slug", "name"))
        _NAMES["at"] = now
    return _NAMES["names"]


def operator_names_forget(**_kwargs):
    """Connected to request_started and to Organisation saves (core/apps.py)."""
    _NAMES["names"] = None


def operator_name(slug, names=None):
    """The operator's name for its slug ("pole-emploi" → "France Travail (ex-Pôle emploi)")."""
    if not slug:
        return ""
    names = names if names is not None else operator_names()
    return names.get(str(slug), str(slug))


def operator_list(slugs, names=None):
    """ "afdas, pole-emploi" or a list → "Afdas, France Travail (ex-Pôle emploi)"."""
    if isinstance(slugs, str):
        slugs = [s.strip() for s in slugs.split(",") if s.strip()]
    names = names if names is not None else operator_names()
    return ", ".join(operator_name(slug, names) for slug in slugs or [])
