"""factory_boy factories: traits for roles, never subclasses."""

import factory
from django.utils.text import slugify

from maillage.accounts.enums import Role
from maillage.accounts.models import Membership, User
from maillage.partners.enums import OrganisationKind
from maillage.partners.models import Organisation


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Opérateur {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = OrganisationKind.OPERATOR
    accepts_referrals = True
    publics = factory.LazyFunction(lambda: ["salaries_prives"])

    class Params:
        coordination = factory.Trait(kind=OrganisationKind.COORDINATION, accepts_referrals=False)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    password = factory.PostGenerationMethodCall("set_password", "motdepasse-solide-42")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.COUNSELLOR

    class Params:
        manager = factory.Trait(role=Role.MANAGER)
        coordinator = factory.Trait(
            role=Role.COORDINATOR,
            organisation=factory.SubFactory(OrganisationFactory, coordination=True),
        )
        committee_member = factory.Trait(role=Role.COMMITTEE_MEMBER)


PASSWORD = "motdepasse-solide-42"
