"""Bounded form fields: dates within 1900–2100, numbers within their column, ids as ids."""

import datetime

import pytest
from django import forms

from maillage.core.forms import (
    BoundedDateField,
    BoundedDateTimeField,
    BoundedIntegerField,
    BoundedModelChoiceField,
    BoundedModelMultipleChoiceField,
)
from maillage.core.parsing import DATE_MESSAGE, INT_MAX
from maillage.partners.models import Department, Organisation

HUGE = str(10**30)


class Sample(forms.Form):
    day = BoundedDateField(required=False)
    moment = BoundedDateTimeField(required=False)
    number = BoundedIntegerField(required=False, min_value=1, max_value=500)
    anything = BoundedIntegerField(required=False)


def _errors(**data):
    form = Sample(data)
    form.is_valid()
    return {name: [str(e) for e in errors] for name, errors in form.errors.items()}


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01"])
def test_a_date_outside_1900_2100_is_refused_in_french(value):
    assert _errors(day=value) == {"day": [DATE_MESSAGE]}


@pytest.mark.parametrize("value", ["0001-01-01T00:00", "9999-12-31T23:59", "0001-01-01 00:00"])
def test_a_moment_outside_1900_2100_is_refused_before_any_time_zone_arithmetic(value):
    assert _errors(moment=value) == {"moment": [DATE_MESSAGE]}


def test_the_bounds_themselves_are_accepted():
    form = Sample({"day": "1900-01-01", "moment": "2100-12-31T23:59", "number": "500"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == datetime.date(1900, 1, 1)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (HUGE, "Saisissez un nombre entre 1 et 500."),
        ("0", "Saisissez un nombre entre 1 et 500."),
        ("abc", "Saisissez un nombre entier."),
    ],
)
def test_a_number_outside_its_bounds_is_refused_in_french(value, message):
    assert _errors(number=value) == {"number": [message]}


def test_an_unbounded_integer_field_still_stops_at_the_column_maximum():
    assert _errors(anything=str(INT_MAX)) == {}
    assert _errors(anything=str(INT_MAX + 1)) == {
        "anything": [f"Saisissez un nombre entre 0 et {INT_MAX}."]
    }


@pytest.mark.django_db
@pytest.mark.parametrize("value", [HUGE, "-1", "abc"])
def test_a_choice_of_rows_by_a_huge_or_non_numeric_id_is_a_form_error(value):
    organisation = Organisation.objects.create(name="Cap test", slug="cap-test")

    class Choice(forms.Form):
        one = BoundedModelChoiceField(queryset=Organisation.objects.all(), required=False)
        several = BoundedModelMultipleChoiceField(
            queryset=Organisation.objects.all(), required=False
        )

    form = Choice({"one": value, "several": [str(organisation.pk), value]})
    assert not form.is_valid()
    assert set(form.errors) == {"one", "several"}
    assert Choice({"one": organisation.pk, "several": [organisation.pk]}).is_valid()


@pytest.mark.django_db
def test_rows_chosen_by_a_code_are_not_mistaken_for_ids():
    Department.objects.create(code="2A", name="Corse-du-Sud", region_code="94", region_name="C")

    class Choice(forms.Form):
        department = BoundedModelChoiceField(queryset=Department.objects.all())

    form = Choice({"department": "2A"})
    assert form.is_valid(), form.errors


def _forms_and_fields():
    """Every date or number field of the project's forms that a visitor types into."""
    from maillage.events.forms import ContributionForm, EventFilterForm, EventForm, QuotaForm
    from maillage.governance.forms import (
        ActionUpdateForm,
        AgendaItemForm,
        AmendmentForm,
        MeetingForm,
        PartyChangeForm,
    )
    from maillage.partners.forms import OrganisationForm
    from maillage.referrals.forms import InboxFilterForm, SendForm, StartForm
    from maillage.routing.forms import RuleListForm
    from maillage.training.forms.sessions import PeriodForm

    return [
        (EventFilterForm, "date_from", "0001-01-01"),
        (EventForm, "capacity", HUGE),
        (EventForm, "offer_hours", HUGE),
        (EventForm, "ends_at", "9999-12-31T23:59"),
        (ContributionForm, "counsellors", HUGE),
        (QuotaForm, "seats", HUGE),
        (MeetingForm, "starts_at", "0001-01-01T00:00"),
        (AgendaItemForm, "duration_minutes", HUGE),
        (ActionUpdateForm, "due_on", "9999-12-31"),
        (AmendmentForm, "signed_on", "0001-01-01"),
        (PartyChangeForm, "on", "0001-01-01"),
        (OrganisationForm, "active_from", "0001-01-01"),
        (OrganisationForm, "referral_reminder_business_days", HUGE),
        (OrganisationForm, "referral_expiry_business_days", "0"),
        (InboxFilterForm, "until", "9999-12-31"),
        (SendForm, "birth_date", "0001-01-01"),
        (StartForm, "first_appointment_on", "9999-12-31"),
        (RuleListForm, "preview_date", "0001-01-01"),
        (PeriodForm, "date_from", "0001-01-01"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("form_class", "name", "value"),
    _forms_and_fields(),
    ids=lambda v: v.__name__ if isinstance(v, type) else str(v)[:12],
)
def test_every_form_of_the_project_bounds_its_dates_and_numbers(form_class, name, value):
    field = form_class.base_fields[name]
    with pytest.raises(forms.ValidationError) as caught:
        field.clean(value)
    assert caught.value.messages[0].startswith(("Saisissez", "Assurez-vous"))
