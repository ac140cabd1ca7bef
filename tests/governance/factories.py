"""Factories of the governance area (traits for roles, never subclasses)."""

from datetime import date

import factory

from maillage.governance.enums import CommitteeKind, MemberRole
from maillage.governance.models import Committee, CommitteeMember
from maillage.partners.enums import SignatoryRole
from maillage.partners.models import Convention, ConventionSignatory
from tests.factories import OrganisationFactory, UserFactory


class ConventionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Convention
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"convention-{n}")
    title = factory.Sequence(lambda n: f"Convention de test {n}")
    region_code = "11"
    signed_on = date(2019, 2, 28)
    valid_from = date(2019, 2, 28)
    valid_until = date(2019, 12, 31)


class SignatoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConventionSignatory

    convention = factory.SubFactory(ConventionFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = SignatoryRole.SIGNATORY
    joined_on = date(2019, 2, 28)


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"comite-{n}")
    name = factory.Sequence(lambda n: f"Comité {n}")
    code = "COPIL"
    kind = CommitteeKind.STEERING
    convention = factory.SubFactory(ConventionFactory)


class SeatFactory(factory.django.DjangoModelFactory):
    """A seat on a committee; the user also gets an active membership of the organisation."""

    class Meta:
        model = CommitteeMember
        skip_postgeneration_save = True

    committee = factory.SubFactory(CommitteeFactory)
    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = MemberRole.MEMBER
    started_on = date(2019, 2, 28)

    class Params:
        secretary = factory.Trait(role=MemberRole.SECRETARY)
        chair = factory.Trait(role=MemberRole.CHAIR)
        guest = factory.Trait(role=MemberRole.GUEST)

    @factory.post_generation
    def membership(obj, create, extracted, **kwargs):
        from maillage.accounts.enums import Role
        from maillage.accounts.models import Membership

        if create:
            Membership.objects.get_or_create(
                user=obj.user,
                organisation=obj.organisation,
                defaults={"role": extracted or Role.COMMITTEE_MEMBER},
            )
