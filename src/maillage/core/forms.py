"""Form fields bounded like every value of this domain (`maillage.core.parsing`), in French.

Django's own fields accept `0001-01-01`, `9999-12-31` or `10**30`; the database or the date
arithmetic behind the form then fails with a 500. These fields refuse such values with the same
French message as the API (`maillage.core.parsing`), so that a page shows the form's error.
Use them in every form; `bounded_formfield` does the same for the fields of a ModelForm.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from maillage.core import parsing
from maillage.core.errors import DomainError

DATE_MESSAGE = parsing.DATE_MESSAGE
ID_MESSAGE = "Choisissez une valeur de la liste."


def _as_validation_error(error: DomainError):
    return ValidationError(error.message, code=error.code)


class BoundedDateField(forms.DateField):
    """A date between 1900-01-01 and 2100-12-31."""

    def to_python(self, value):
        try:
            result = super().to_python(value)
        except OverflowError:
            raise ValidationError(DATE_MESSAGE, code="invalid_date") from None
        try:
            return parsing.date_check(result, field=None)
        except DomainError as error:
            raise _as_validation_error(error) from None


class BoundedDateTimeField(forms.DateTimeField):
    """A date and time whose day falls between 1900 and 2100 (checked before any time zone
    conversion: `0001-01-01T00:00` in Paris is a year-0 instant in UTC, which overflows)."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            naive = self._parse_naive(value.strip())
            if naive is not None:
                try:
                    parsing.date_check(naive.date(), field=None)
                except DomainError as error:
                    raise _as_validation_error(error) from None
        try:
            result = super().to_python(value)
        except OverflowError:
            raise ValidationError(DATE_MESSAGE, code="invalid_date") from None
        if result is not None:
            try:
                parsing.date_check(result.date(), field=None)
            except DomainError as error:
                raise _as_validation_error(error) from None
        return result

    def _parse_naive(self, value):
        for fmt in self.input_formats:
            try:
                return datetime.datetime.strptime(value, fmt)
            except (ValueError, TypeError):
                continue
        try:
            return datetime.datetime.fromisoformat(value)
        except ValueError:
            return None


class BoundedIntegerField(forms.IntegerField):
    """A whole number within [min_value, max_value] (by default 0 to the 32-bit maximum, the
    largest value an integer column holds); bounds beyond a 32-bit column (or None) are
    brought back to it."""

    def __init__(self, *, min_value=0, max_value=parsing.INT_MAX, **kwargs):
        low, high = -parsing.INT_MAX - 1, parsing.INT_MAX
        min_value = low if min_value is None else max(min_value, low)
        max_value = high if max_value is None else min(max_value, high)
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
        if value in self.empty_values:
            return None
        try:
            return parsing.int_parse(
                value, field=None, minimum=self.min_value, maximum=self.max_value
            )
        except DomainError as error:
            raise _as_validation_error(error) from None


class BoundedDecimalField(forms.DecimalField):
    """A decimal number with explicit bounds (required: an unbounded decimal overflows its
    column) and a French message for values outside them."""

    def __init__(self, *, min_value, max_value, **kwargs):
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)


def _integer_key(field):
    """Whether the rows of a model choice field are chosen by a whole number (their id)."""
    model = field.queryset.model
    key = model._meta.get_field(field.to_field_name) if field.to_field_name else model._meta.pk
    return isinstance(key, models.IntegerField)


def _check_ids(values, message=ID_MESSAGE):
    for value in values:
        try:
            parsing.id_parse(value, field=None)
        except DomainError:
            raise ValidationError(message, code="invalid_pk_value") from None


class BoundedModelChoiceField(forms.ModelChoiceField):
    """A choice of a row by id: a non-numeric or out-of-range id is "not in the list"."""

    def to_python(self, value):
        if (
            value not in self.empty_values
            and not isinstance(value, models.Model)
            and _integer_key(self)
        ):
            _check_ids([value], self.error_messages["invalid_choice"])
        return super().to_python(value)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several rows by id: an id beyond 64 bits would overflow the `IN` query (a 500)."""

    def _check_values(self, value):
        if _integer_key(self):
            values = value if isinstance(value, list | tuple) else [value]
            for pk in values:
                try:
                    parsing.id_parse(pk, field=None)
                except DomainError:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": str(pk)[:50]},
                    ) from None
        return super()._check_values(value)


# Bounds of the integer columns, by field class (the most derived first).
INTEGER_BOUNDS = (
    (models.PositiveSmallIntegerField, 0, 32_767),
    (models.SmallIntegerField, -32_768, 32_767),
    (models.PositiveBigIntegerField, 0, parsing.INT_MAX),
    (models.PositiveIntegerField, 0, parsing.INT_MAX),
    (models.BigIntegerField, -parsing.INT_MAX - 1, parsing.INT_MAX),
    (models.IntegerField, -parsing.INT_MAX - 1, parsing.INT_MAX),
)


def bounded_formfield(db_field, **kwargs):
    """`formfield_callback` of a ModelForm: the bounded field for each date, number and row."""
    if isinstance(db_field, models.DateTimeField):
        return db_field.formfield(form_class=BoundedDateTimeField, **kwargs)
    if isinstance(db_field, models.DateField):
        return db_field.formfield(form_class=BoundedDateField, **kwargs)
    if isinstance(db_field, models.IntegerField) and not db_field.choices:
        for cls, low, high in INTEGER_BOUNDS:
            if isinstance(db_field, cls):
                kwargs.setdefault("min_value", low)
                kwargs.setdefault("max_value", high)
                break
        return db_field.formfield(form_class=BoundedIntegerField, **kwargs)
    if isinstance(db_field, models.ManyToManyField):
        return db_field.formfield(form_class=BoundedModelMultipleChoiceField, **kwargs)
    if isinstance(db_field, models.ForeignKey):
        return db_field.formfield(form_class=BoundedModelChoiceField, **kwargs)
    return db_field.formfield(**kwargs)
