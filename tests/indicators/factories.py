"""Referrals written straight into the table, with chosen dates (the indicators read them)."""

from datetime import datetime, time, timedelta

import factory
from django.utils import timezone

from maillage.referrals.models import Referral
from tests.factories import OrganisationFactory


def local(day, hour=10, minute=0):
    """An aware datetime at `hour` local time (Europe/Paris) on `day`."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    sender_organisation = factory.SubFactory(OrganisationFactory)
    receiver_organisation = factory.SubFactory(OrganisationFactory)
    status = "sent"
    first_name = "Personne"
    last_name = factory.Sequence(lambda n: f"Test{n}")
    need = "Projet de reconversion."
    department = "93"
    age_band = "26-34"
    profile = factory.LazyFunction(lambda: {"status": "employed_private"})
    consent_method = "in_person"
    consent_given_at = factory.LazyFunction(timezone.now)
    sent_at = factory.LazyFunction(timezone.now)


def referral_with_history(*, sender, receiver, sent, status="sent", received=None, accepted=None,
                          ended=None, refusal_reason="", outcome="", department="93",
                          age_band="26-34", person_status="employed_private"):  # fmt: skip
    return ReferralFactory(
        sender_organisation=sender,
        receiver_organisation=receiver,
        status=status,
        sent_at=sent,
        consent_given_at=sent - timedelta(minutes=5),
        received_at=received,
        accepted_at=accepted,
        ended_at=ended,
        refusal_reason=refusal_reason,
        outcome=outcome,
        department=department,
        age_band=age_band,
        profile={"status": person_status} if person_status else {},
    )
