"""Demo accounts (password `demo`): a counsellor and a manager per operator, a coordinator."""

from maillage.accounts.enums import Role
from maillage.accounts.models import Membership, User
from maillage.partners.enums import OrganisationKind
from maillage.partners.models import Organisation

DEMO_PASSWORD = "demo"


def _user(email, first_name, last_name):
    user, created = User.objects.get_or_create(
        email=email, defaults={"first_name": first_name, "last_name": last_name}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user, created


def _member(user, organisation, role):
    Membership.objects.get_or_create(user=user, organisation=organisation, defaults={"role": role})


def build(*, stdout=None):
    created = 0
    for organisation in Organisation.objects.filter(kind=OrganisationKind.OPERATOR):
        short = organisation.name.split(" (")[0]
        counsellor, was_created = _user(
            f"conseiller@{organisation.slug}.demo", "Camille", f"Conseil {short}"
        )
        created += was_created
        _member(counsellor, organisation, Role.COUNSELLOR)
        manager, was_created = _user(
            f"responsable@{organisation.slug}.demo", "Dominique", f"Responsable {short}"
        )
        created += was_created
        _member(manager, organisation, Role.MANAGER)
    region = Organisation.objects.get(slug="region-idf")
    coordinator, was_created = _user("coordination@region-idf.demo", "Claude", "Coordination")
    created += was_created
    _member(coordinator, region, Role.COORDINATOR)
    # One counsellor works for two operators, to show the organisation switch.
    multi, was_created = _user("conseiller.multi@partenaires.demo", "Alex", "Double-Appartenance")
    created += was_created
    for slug in ("afdas", "uniformation-idf"):
        _member(multi, Organisation.objects.get(slug=slug), Role.COUNSELLOR)
    if stdout is not None:
        stdout.write(f"accounts.demo: {created} compte(s) de démonstration créé(s)")
