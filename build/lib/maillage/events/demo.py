"""Demo events co-organised by several operators (idempotent, direct rows: it must stay fast)."""

from datetime import timedelta

from django.utils import timezone

from maillage.events.enums import Audience, EventKind, EventStatus
from maillage.events.enums import RegistrationStatus as RS
from maillage.events.models import Event, EventOrganiser, Registration, SeatQuota
from maillage.partners.models import Department, Organisation

FIRST_NAMES = [
    "Inès",
    "Karim",
    "Léa",
    "Moussa",
    "Chloé",
    "Hugo",
    "Aïcha",
    "Julien",
    "Sofia",
    "Thomas",
    "Nadia",
    "Lucas",
    "Fatou",
    "Paul",
    "Emma",
    "Yanis",
    "Sarah",
    "Maël",
]
LAST_NAMES = [
    "Bernard",
    "Diallo",
    "Petit",
    "Nguyen",
    "Moreau",
    "Lefèvre",
    "Haddad",
    "Roux",
    "Fontaine",
    "Camara",
    "Girard",
    "Benali",
    "Mercier",
    "Traoré",
    "Blanc",
    "Costa",
]


def _at(days, hour, minute=0):
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(timezone.datetime(day.year, day.month, day.day, hour, minute))


def _event(orgs, *, title, lead, co, contributions, **fields):
    event = Event.objects.create(title=title, lead_organisation=orgs[lead], is_demo=True, **fields)
    for slug in [lead, *co]:
        counsellors, hours, room, stand, material = contributions.get(slug, (1, 3, "", False, ""))
        EventOrganiser.objects.create(
            event=event,
            organisation=orgs[slug],
            is_lead=slug == lead,
            counsellors=counsellors,
            hours=hours,
            room=room,
            stand=stand,
            material=material,
        )
    return event


def _people(event, statuses, *, start=0, sent_by=None, now=None):
    rows = []
    now = now or timezone.now()
    for i, status in enumerate(statuses, start=start):
        first, last = FIRST_NAMES[i % len(FIRST_NAMES)], LAST_NAMES[(i * 7) % len(LAST_NAMES)]
        rows.append(
            Registration(
                event=event,
                status=status,
                first_name=first,
                last_name=last,
                email=f"{first.lower()}.{last.lower()}.{i}@exemple.demo".replace("ï", "i")
                .replace("è", "e")
                .replace("ë", "e")
                .replace("é", "e"),
                sent_by_organisation=sent_by(i) if sent_by else None,
                confirmed_at=now if status in (RS.CONFIRMED, RS.ATTENDED, RS.NO_SHOW) else None,
                waitlisted_at=now + timedelta(seconds=i)
                if status in (RS.WAITLISTED, RS.OFFERED)
                else None,
                offered_at=now if status == RS.OFFERED else None,
                offer_expires_at=now + timedelta(hours=40) if status == RS.OFFERED else None,
                checked_in_at=event.starts_at if status == RS.ATTENDED else None,
                survey_rating=(4 + i % 2) if status == RS.ATTENDED and i % 3 else None,
            )
        )
    Registration.objects.bulk_create(rows)


def build(*, stdout=None):
    if Event.objects.filter(is_demo=True).exists():
        return
    orgs = {o.slug: o for o in Organisation.objects.all()}
    departments = {d.code: d for d in Department.objects.all()}
    now = timezone.now()

    past = _event(
        orgs,
        title="Forum des métiers de la culture et de l'animation",
        lead="afdas",
        co=["uniformation-idf", "arml-idf"],
        kind=EventKind.FORUM,
        status=EventStatus.HELD,
        summary="Rencontrer les employeurs et les conseillers des secteurs culture et animation.",
        starts_at=_at(-30, 9, 30),
        ends_at=_at(-30, 17),
        department=departments["75"],
        venue="Maison des métiers",
        address="12 rue de la Démo, 75011 Paris",
        capacity=40,
        published_at=now - timedelta(days=60),
        contributions={
            "afdas": (4, 28, "Grande salle", True, "Vidéoprojecteur, kakémonos"),
            "uniformation-idf": (3, 21, "", True, "Documentation"),
            "arml-idf": (2, 14, "", True, ""),
        },
    )
    statuses = [RS.ATTENDED] * 24 + [RS.NO_SHOW] * 6 + [RS.CANCELLED] * 2
    _people(past, statuses, sent_by=lambda i: orgs["arml-idf"] if i % 4 == 0 else None, now=now)

    full = _event(
        orgs,
        title="Job dating intérim : compétences et handicap",
        lead="faf-tt",
        co=["cheops-idf"],
        kind=EventKind.JOB_DATING,
        status=EventStatus.PUBLISHED,
        summary="Des agences d'emploi rencontrent des candidats, avec ou sans reconnaissance de "
        "handicap ; accompagnement par les conseillers Cap emploi.",
        starts_at=_at(10, 14),
        ends_at=_at(10, 17, 30),
        department=departments["93"],
        venue="Pôle d'activité de démonstration",
        address="3 avenue de la Démo, 93200 Saint-Denis",
        capacity=12,
        published_at=now - timedelta(days=7),
        questions=[{"key": "metier", "label": "Le métier que vous visez", "required": False}],
        contributions={
            "faf-tt": (3, 12, "Salle du rez-de-chaussée", False, "Badges"),
            "cheops-idf": (2, 8, "", True, "Boucle magnétique"),
        },
    )
    SeatQuota.objects.create(event=full, organisation=orgs["cheops-idf"], seats=3)
    _people(
        full, [RS.CONFIRMED] * 11, sent_by=lambda i: orgs["cheops-idf"] if i < 3 else None, now=now
    )
    _people(full, [RS.OFFERED, RS.WAITLISTED, RS.WAITLISTED, RS.WAITLISTED], start=11, now=now)

    _event(
        orgs,
        title="Le conseil en évolution professionnelle, pour qui, comment ?",
        lead="uniformation-idf",
        co=["unifaf-idf", "agecif-cama"],
        kind=EventKind.WEBINAR,
        status=EventStatus.PUBLISHED,
        audience=Audience.PUBLIC,
        summary="Une heure pour comprendre le CEP et savoir à quel opérateur vous adresser.",
        starts_at=_at(5, 12, 30),
        ends_at=_at(5, 13, 30),
        online_url="https://visio.exemple.demo/cep-pour-qui",
        capacity=None,
        published_at=now - timedelta(days=3),
        contributions={},
    )
    _event(
        orgs,
        title="Atelier : valoriser ses compétences transférables",
        lead="unifaf-idf",
        co=["uniformation-idf"],
        kind=EventKind.WORKSHOP,
        status=EventStatus.DRAFT,
        starts_at=_at(25, 9, 30),
        ends_at=_at(25, 12),
        department=departments["94"],
        venue="Salle de démonstration",
        address="8 place de la Démo, 94000 Créteil",
        capacity=15,
        contributions={},
    )
    cancelled = _event(
        orgs,
        title="Matinale de la reconversion dans la banque et l'énergie",
        lead="agecif-cama",
        co=["unagecif"],
        kind=EventKind.INFO_SESSION,
        status=EventStatus.CANCELLED,
        starts_at=_at(3, 8, 30),
        ends_at=_at(3, 10, 30),
        department=departments["92"],
        venue="Espace de démonstration",
        address="5 rue de la Démo, 92000 Nanterre",
        capacity=30,
        published_at=now - timedelta(days=20),
        cancelled_at=now - timedelta(days=1),
        cancellation_message=(
            "Les intervenants ne sont plus disponibles ; une nouvelle date sera annoncée."
        ),
        contributions={},
    )
    _people(cancelled, [RS.CANCELLED] * 5, now=now)
    if stdout is not None:
        stdout.write(f"events.demo: {Event.objects.filter(is_demo=True).count()} évènement(s)")
