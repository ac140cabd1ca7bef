"""Bounded types for what the API reads, and enumerations documented as `enum`.

Dates and times are within 1900–2100 (`maillage.core.parsing.DATE_MIN/DATE_MAX`), numbers
within the model's column, ids within 1..2**63-1: anything else is a French 422 with the field,
never an overflow further down. The OpenAPI says so (`pattern`, `minimum`, `maximum`), so
that a client (or schemathesis) knows the accepted range.
"""

import re
from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Schema
from ninja.schema import DjangoGetter
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    Field,
    WithJsonSchema,
    model_validator,
)

from maillage.core.parsing import DATE_MAX, DATE_MESSAGE, DATE_MIN, ID_MAX, INT_MAX

# Years 1900–2100, the rest of an ISO 8601 date (or date-time) after it.
_YEARS = r"^(19\d\d|20\d\d|2100)-"


_DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _date_text(value):
    # Only ISO text: pydantic would otherwise read `0` or `1e9` as a Unix timestamp.
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _DATE_TEXT.match(value):
        raise ValueError(DATE_MESSAGE)
    return value


def _datetime_text(value):
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _DATETIME_TEXT.match(value):
        raise ValueError("Saisissez une date et heure au format ISO 8601 (AAAA-MM-JJTHH:MM).")
    return value


def _date_in_range(value):
    if not (DATE_MIN <= value <= DATE_MAX):
        raise ValueError(DATE_MESSAGE)
    return value


def _datetime_in_range(value):
    if not (DATE_MIN <= value.date() <= DATE_MAX):
        raise ValueError(DATE_MESSAGE.replace("une date valide", "une date et heure valide"))
    return value


Day = Annotated[
    date,
    BeforeValidator(_date_text),
    AfterValidator(_date_in_range),
    WithJsonSchema({"type": "string", "format": "date", "pattern": _YEARS}),
]
Moment = Annotated[
    datetime,
    BeforeValidator(_datetime_text),
    AfterValidator(_datetime_in_range),
    WithJsonSchema({"type": "string", "format": "date-time", "pattern": _YEARS}),
]
# A database id: path and body alike.
Id = Annotated[int, Field(ge=1, le=ID_MAX)]
Count = Annotated[int, Field(ge=0, le=INT_MAX)]


def bounded(minimum=0, maximum=INT_MAX):
    return Annotated[int, Field(ge=minimum, le=maximum)]


def choice(enum):
    """A TextChoices (or keys) as an inline `enum`: no component name to collide with another
    app's enumeration of the same name (events' and training's `Audience`)."""
    values = enum.values if isinstance(enum, type) else list(enum)
    return Literal[tuple(str(getattr(value, "value", value)) for value in values)]


class InSchema(Schema):
    """A request body (or part of one): a JSON object, nothing else.

    ninja's Schema reads attributes from any object, so that `true` or `[null]` would pass
    for an empty object; here they are a French 422.
    """

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, value):
        found = value._obj if isinstance(value, DjangoGetter) else value
        if isinstance(found, dict | BaseModel):
            return value
        raise ValueError("Un objet JSON est attendu.")
