"""One set of helpers to read dates, numbers and ids from untrusted input, in French.

Pages, forms and the API all parse what a visitor typed through these, so that every bad
value answers the same French field error (a form error on a page, a 422 in the API) and
never a 500. Bounds are those any real value of this domain falls within.
"""

from datetime import date, datetime

from maillage.core.errors import DomainError

DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2100, 12, 31)
# Largest value a 32-bit signed integer column accepts (SQLite and PostgreSQL alike).
INT_MAX = 2_147_483_647
# Ids are positive 64-bit integers (BigAutoField).
ID_MAX = 9_223_372_036_854_775_807

DATE_MESSAGE = "Saisissez une date valide au format AAAA-MM-JJ, entre 1900 et 2100."


def date_parse(value, *, field, required=False):
    """A date between 1900-01-01 and 2100-12-31, or None when empty and not required."""
    if isinstance(value, datetime):
        value = value.date()
    if value in (None, ""):
        if required:
            raise DomainError("Ce champ est obligatoire.", code="required", field=field)
        return None
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value).strip())
        except ValueError:
            raise DomainError(DATE_MESSAGE, code="invalid_date", field=field) from None
    date_check(value, field=field)
    return value


def date_check(value, *, field):
    """Refuse a date outside 1900–2100 (out-of-range arithmetic would overflow later)."""
    if value is not None and not (DATE_MIN <= value <= DATE_MAX):
        raise DomainError(DATE_MESSAGE, code="invalid_date", field=field)
    return value


def int_parse(value, *, field, minimum=0, maximum=INT_MAX, required=False):
    """A whole number within [minimum, maximum], or None when empty and not required."""
    if value in (None, ""):
        if required:
            raise DomainError("Ce champ est obligatoire.", code="required", field=field)
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        raise DomainError(
            "Saisissez un nombre entier.", code="invalid_number", field=field
        ) from None
    if not (minimum <= number <= maximum):
        raise DomainError(
            f"Saisissez un nombre entre {minimum} et {maximum}.",
            code="out_of_range",
            field=field,
        )
    return number


def id_parse(value, *, field, required=True):
    """A database id (a positive whole number); anything else is a French field error."""
    return int_parse(value, field=field, minimum=1, maximum=ID_MAX, required=required)
