"""Factories of the events area: a published event led by an operator, its registrations."""

from datetime import timedelta

import factory
from django.utils import timezone

from maillage.events.enums import EventKind, EventStatus, RegistrationStatus
from maillage.events.models import Event, EventOrganiser, Registration
from tests.factories import OrganisationFactory


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Forum de l'emploi n° {n}")
    kind = EventKind.FORUM
    status = EventStatus.PUBLISHED
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=7)).replace(second=0, microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=3))
    venue = "Salle des fêtes"
    address = "1 place de la Mairie, 93200 Saint-Denis"
    capacity = 2
    lead_organisation = factory.SubFactory(OrganisationFactory)
    published_at = factory.LazyFunction(timezone.now)

    class Params:
        draft = factory.Trait(status=EventStatus.DRAFT, published_at=None)
        past = factory.Trait(
            status=EventStatus.HELD,
            starts_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=2)),
        )

    @factory.post_generation
    def lead(obj, create, extracted, **kwargs):
        if create:
            EventOrganiser.objects.get_or_create(
                event=obj, organisation=obj.lead_organisation, defaults={"is_lead": True}
            )


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    status = RegistrationStatus.CONFIRMED
    first_name = "Alix"
    last_name = factory.Sequence(lambda n: f"Durand{n}")
    email = factory.Sequence(lambda n: f"inscrit{n}@exemple.fr")
    confirmed_at = factory.LazyFunction(timezone.now)
