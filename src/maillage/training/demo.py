"""Demo data of cross-training (idempotent, fast): library, offers side by side, sessions.

Resources of every audience and state, specific service offers for several operators, upcoming
sessions open to enrolment and past ones with their attendance (so the matrix is not empty).
"""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from maillage.accounts.models import User
from maillage.core.french import de
from maillage.events.enums import Audience as EventAudience
from maillage.events.enums import EventKind, EventStatus, RegistrationStatus
from maillage.events.models import Event, EventOrganiser, Registration
from maillage.partners import demo as partners_demo
from maillage.partners.enums import Mode, Theme
from maillage.partners.models import Organisation, ServiceOffer
from maillage.training import search
from maillage.training.enums import Audience, ResourceStatus
from maillage.training.models import Resource, ResourceTransition, ResourceVersion, TrainingSession

# (title, summary, kind, themes, owner, audience, status, file name or link)
RESOURCES = [
    (
        "Le marché de la formation en Île-de-France",
        "Chiffres clés des formations financées en 2018 : secteurs, niveaux, durées et "
        "organismes, pour orienter les projets de formation des actifs.",
        "fiche",
        ["marche_formation"],
        "uniformation-idf",
        Audience.PUBLIC,
        ResourceStatus.PUBLISHED,
        "marche-formation-idf.pdf",
    ),
    (
        "Guide du projet de transition professionnelle",
        "Étapes, financements et calendrier d'un projet de transition professionnelle, "
        "à partager avec les personnes accompagnées.",
        "guide",
        ["marche_formation", "outils"],
        "faf-tt",
        Audience.PUBLIC,
        ResourceStatus.PUBLISHED,
        "https://www.service-public.fr/particuliers/vosdroits/F14018",
    ),
    (
        "Grille d'entretien partagée du premier accueil",
        "La grille commune aux opérateurs pour le premier entretien de conseil en évolution "
        "professionnelle : situation, projet, freins, suites.",
        "outil",
        ["outils"],
        "arml-idf",
        Audience.PARTNERS,
        ResourceStatus.PUBLISHED,
        "grille-entretien-partagee.pdf",
    ),
    (
        "Présentation de l'offre de service de Cap emploi",
        "Qui Cap emploi accompagne, comment lui orienter une personne en situation de handicap, "
        "maintien dans l'emploi et recherche d'emploi.",
        "presentation",
        ["offre_service"],
        "cheops-idf",
        Audience.PARTNERS,
        ResourceStatus.PUBLISHED,
        "offre-cap-emploi.pdf",
    ),
    (
        "Bilan des orientations entre opérateurs — note au comité technique",
        "Volumes, délais de réponse et suites données aux orientations du premier semestre, "
        "pour la réunion du comité technique régional.",
        "etude",
        ["strategie"],
        "region-idf",
        Audience.COMMITTEE,
        ResourceStatus.PUBLISHED,
        "note-comite-technique.pdf",
    ),
    (
        "Les métiers du spectacle vivant et leurs formations",
        "Fiche sur les métiers techniques et artistiques du spectacle vivant, les formations "
        "qualifiantes et les financements des intermittents.",
        "fiche",
        ["marche_emploi", "marche_formation"],
        "afdas",
        Audience.PUBLIC,
        ResourceStatus.SUBMITTED,
        "metiers-spectacle-vivant.pdf",
    ),
    (
        "Kit d'accueil des jeunes en mission locale",
        "Brouillon du kit présenté aux conseillers des autres opérateurs lors des immersions.",
        "outil",
        ["immersion"],
        "arml-idf",
        Audience.PARTNERS,
        ResourceStatus.DRAFT,
        "https://www.unml.info/",
    ),
    (
        "Ancien guide du congé individuel de formation",
        "Le congé individuel de formation a été remplacé par le projet de transition "
        "professionnelle en 2019 : ce guide n'est plus à jour.",
        "guide",
        ["marche_formation"],
        "unifaf-idf",
        Audience.PUBLIC,
        ResourceStatus.ARCHIVED,
        "https://www.legifrance.gouv.fr/",
    ),
]

OFFERS = [
    (
        "arml-idf",
        "Accompagnement intensif des jeunes vers l'emploi",
        ["jeunes"],
        [Theme.JOB_SEARCH, Theme.TRAINING],
        [Mode.IN_PERSON],
    ),
    (
        "cheops-idf",
        "Maintien dans l'emploi des salariés en situation de handicap",
        ["handicap"],
        [Theme.JOB_RETENTION],
        [Mode.IN_PERSON, Mode.PHONE],
    ),
    (
        "afdas",
        "Conseil aux intermittents du spectacle",
        ["culture"],
        [Theme.CAREER_ADVICE, Theme.TRANSITION],
        [Mode.IN_PERSON, Mode.REMOTE],
    ),
    (
        "faf-tt",
        "Projet de transition professionnelle des intérimaires",
        ["interimaires"],
        [Theme.TRAINING, Theme.TRANSITION],
        [Mode.REMOTE, Mode.PHONE],
    ),
    (
        "uniformation-idf",
        "Validation des acquis de l'expérience dans l'économie sociale",
        ["economie_sociale"],
        [Theme.VAE],
        [Mode.IN_PERSON, Mode.REMOTE],
    ),
]

# (title, theme, hosts, day offset, hours, capacity, quotas, attendees)
SESSIONS = [
    (
        "Le marché de l'emploi en Seine-Saint-Denis",
        "marche_emploi",
        ["afdas"],
        14,
        3,
        12,
        {},
        [],
    ),
    (
        "L'offre de service de Cap emploi pour les autres opérateurs",
        "offre_service",
        ["cheops-idf"],
        21,
        3,
        8,
        {"afdas": 2, "arml-idf": 2, "uniformation-idf": 2},
        [],
    ),
    (
        "Immersion d'une journée dans une mission locale",
        "immersion",
        ["arml-idf"],
        35,
        7,
        6,
        {},
        [],
    ),
    (
        "Les financements de la formation depuis la réforme de 2018",
        "marche_formation",
        ["uniformation-idf", "faf-tt"],
        -30,
        3,
        15,
        {},
        ["afdas", "cheops-idf", "arml-idf", "unifaf-idf"],
    ),
    (
        "La stratégie régionale de l'orientation tout au long de la vie",
        "strategie",
        ["region-idf"],
        -10,
        2,
        20,
        {},
        ["afdas", "faf-tt", "uniformation-idf", "cheops-idf"],
    ),
]


def _pdf(title, summary):
    from django.utils.html import escape

    from maillage.core.pdf import html_to_pdf

    return html_to_pdf(
        f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head><body><h1>{escape(title)}</h1>"
        f"<p>{escape(summary)}</p><p>Document de démonstration de Maillage.</p></body></html>"
    )


def _resources(orgs, coordinator):
    created = 0
    now = timezone.now()
    for title, summary, kind, themes, owner, audience, status, source in RESOURCES:
        resource, was_created = Resource.objects.get_or_create(
            title=title,
            owner=orgs[owner],
            defaults={
                "summary": summary,
                "kind": kind,
                "themes": themes,
                "audience": audience,
                "status": status,
                "published_at": now - timedelta(days=20)
                if status in (ResourceStatus.PUBLISHED, ResourceStatus.ARCHIVED)
                else None,
                "download_count": 12 if status == ResourceStatus.PUBLISHED else 0,
                "is_demo": True,
            },
        )
        if not was_created:
            continue
        created += 1
        version = ResourceVersion(resource=resource, number=1, note="Première version")
        if source.startswith("http"):
            version.url = source
        else:
            content = _pdf(title, summary)
            version.content_type, version.size = "application/pdf", len(content)
            version.original_name = source
            version.file.save(source, ContentFile(content), save=False)
        version.save()
        search.index_resource(resource)
        steps = {
            ResourceStatus.SUBMITTED: [(ResourceStatus.DRAFT, ResourceStatus.SUBMITTED)],
            ResourceStatus.PUBLISHED: [
                (ResourceStatus.DRAFT, ResourceStatus.SUBMITTED),
                (ResourceStatus.SUBMITTED, ResourceStatus.PUBLISHED),
            ],
            ResourceStatus.ARCHIVED: [
                (ResourceStatus.DRAFT, ResourceStatus.SUBMITTED),
                (ResourceStatus.SUBMITTED, ResourceStatus.PUBLISHED),
                (ResourceStatus.PUBLISHED, ResourceStatus.ARCHIVED),
            ],
        }.get(status, [])
        for source_status, target in steps:
            ResourceTransition.objects.create(
                resource=resource,
                from_status=source_status,
                to_status=target,
                actor=coordinator
                if target in (ResourceStatus.PUBLISHED, ResourceStatus.ARCHIVED)
                else None,
            )
    return created


def _offers(orgs):
    for slug, title, publics, themes, modes in OFFERS:
        offer = partners_demo.record_upsert(
            ServiceOffer,
            {"organisation": orgs[slug], "title": title},
            {
                "description": partners_demo.offer_description(title, orgs[slug].public_summary),
                "publics": publics,
                "themes": themes,
                "modes": modes,
                "how_to_ask": "Contactez l'accueil de l'opérateur.",
                "is_demo": True,
            },
        )
        partners_demo.offer_complete(offer)


def _sessions(orgs):
    created = 0
    today = timezone.localtime().replace(hour=9, minute=30, second=0, microsecond=0)
    users = {u.email: u for u in User.objects.filter(email__endswith=".demo")}
    resources = list(
        Resource.objects.filter(status=ResourceStatus.PUBLISHED, is_demo=True).order_by("pk")[:2]
    )
    for index, (title, theme, hosts, offset, hours, capacity, quotas, attendees) in enumerate(
        SESSIONS
    ):
        if TrainingSession.objects.filter(event__title=title, event__is_demo=True).exists():
            continue
        created += 1
        starts = today + timedelta(days=offset)
        past = offset < 0
        lead = orgs[hosts[0]]
        event = Event.objects.create(
            title=title,
            kind=EventKind.TRAINING,
            audience=EventAudience.MEMBERS,
            status=EventStatus.HELD if past else EventStatus.PUBLISHED,
            summary=f"Session de professionnalisation croisée accueillie par {lead.name}.",
            description="Présentation, échanges entre conseillers, cas pratiques.",
            starts_at=starts,
            ends_at=starts + timedelta(hours=hours),
            venue=f"Locaux {de(lead.name)}",
            address="Paris (démonstration)",
            capacity=capacity,
            lead_organisation=lead,
            published_at=starts - timedelta(days=30),
            is_demo=True,
        )
        EventOrganiser.objects.create(event=event, organisation=lead, is_lead=True)
        for slug in hosts[1:]:
            EventOrganiser.objects.create(event=event, organisation=orgs[slug])
        for slug, seats in quotas.items():
            event.quotas.create(organisation=orgs[slug], seats=seats)
        session = TrainingSession.objects.create(
            event=event,
            theme=theme,
            hours=hours,
            speakers=f"Dominique Responsable, {lead.name}\nUne conseillère {de(lead.name)}",
            objectives="Connaître le sujet, savoir vers qui orienter, partager les outils.",
        )
        session.hosts.set([orgs[s] for s in hosts])
        if index % 2 == 0:
            session.resources.set(resources)
        for position, slug in enumerate(attendees):
            user = users.get(f"conseiller@{slug}.demo")
            if user is None:
                continue
            present = position != len(attendees) - 1  # the last one did not come
            Registration.objects.create(
                event=event,
                status=RegistrationStatus.ATTENDED if present else RegistrationStatus.NO_SHOW,
                first_name=user.first_name,
                last_name=user.last_name,
                email=user.email,
                user=user,
                sent_by_organisation=orgs[slug],
                confirmed_at=starts - timedelta(days=7),
                checked_in_at=starts if present else None,
                survey_rating=4 + position % 2 if present else None,
                survey_answered_at=starts + timedelta(days=1) if present else None,
            )
    return created


def build(*, stdout=None):
    orgs = Organisation.objects.in_bulk(field_name="slug")
    coordinator = User.objects.filter(email="coordination@region-idf.demo").first()
    resources = _resources(orgs, coordinator)
    _offers(orgs)
    sessions = _sessions(orgs)
    if stdout is not None:
        stdout.write(
            f"training.demo: {resources} ressource(s), {sessions} session(s) de démonstration"
        )
