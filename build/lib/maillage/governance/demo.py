"""Demo data of this area, added by `maillage demo` (idempotent).

Both committees with their members, past meetings with approved minutes, decisions, actions in
every state (one overdue) and an upcoming meeting whose agenda is pre-filled. Dates are relative
to today so that the demo always has a past and a future.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from maillage.accounts.enums import Role
from maillage.accounts.models import Membership, User
from maillage.governance import services
from maillage.governance.enums import (
    ActionStatus,
    AttendanceStatus,
    DecisionStatus,
    MeetingStatus,
    MemberRole,
)
from maillage.governance.models import (
    AgendaItem,
    Attendance,
    Committee,
    CommitteeMember,
    Meeting,
    MeetingTransition,
    Minutes,
)
from maillage.partners.models import Organisation

DEMO_PASSWORD = "demo"
SIGNATORIES = [
    "afdas",
    "agecif-cama",
    "faf-tt",
    "unagecif",
    "unifaf-idf",
    "uniformation-idf",
    "arml-idf",
    "cheops-idf",
]


def _user(email, first_name, last_name, organisation, role):
    user, created = User.objects.get_or_create(
        email=email, defaults={"first_name": first_name, "last_name": last_name}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(user=user, organisation=organisation, defaults={"role": role})
    return user


def _seat(committee, user, organisation, role, started_on):
    CommitteeMember.objects.get_or_create(
        committee=committee,
        user=user,
        started_on=started_on,
        defaults={"organisation": organisation, "role": role},
    )


def _at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _meeting(committee, actor, day, title, location, status, items):
    meeting = Meeting.objects.create(
        committee=committee,
        title=title,
        starts_at=_at(day, 10),
        ends_at=_at(day, 12),
        location=location,
        status=status,
        created_by=actor,
    )
    Minutes.objects.create(meeting=meeting)
    MeetingTransition.objects.create(
        meeting=meeting, to_status=MeetingStatus.SCHEDULED, actor=actor
    )
    if status != MeetingStatus.SCHEDULED:
        MeetingTransition.objects.create(
            meeting=meeting, from_status=MeetingStatus.SCHEDULED, to_status=status, actor=actor
        )
    services.agenda_prefill(meeting)
    start = meeting.agenda_items.filter(parent__isnull=True).count()
    created = []
    for offset, (title_, presenter, minutes, carry) in enumerate(items, start=1):
        created.append(
            AgendaItem.objects.create(
                meeting=meeting,
                position=start + offset,
                title=title_,
                presenter=presenter,
                duration_minutes=minutes,
                carry_over=carry,
            )
        )
    return meeting, created


def _attendance(meeting, excused=(), represented=None):
    represented = represented or {}
    for member in CommitteeMember.objects.filter(committee=meeting.committee):
        slug = member.organisation.slug
        if slug in represented:
            status, by = AttendanceStatus.REPRESENTED, represented[slug]
        elif slug in excused:
            status, by = AttendanceStatus.EXCUSED, ""
        else:
            status, by = AttendanceStatus.PRESENT, ""
        Attendance.objects.get_or_create(
            meeting=meeting, member=member, defaults={"status": status, "represented_by": by}
        )


def _approve(minutes, at_meeting, actor, membership):
    services.minutes_approve(
        actor=actor, membership=membership, minutes=minutes, at_meeting=at_meeting
    )
    # The demo's history: approved on the day of the meeting that approved them, not today.
    Minutes.objects.filter(pk=minutes.pk).update(approved_at=at_meeting.ends_at)


def _write_minutes(meeting, actor, membership, text):
    minutes = meeting.minutes
    services.minutes_save(
        actor=actor,
        membership=membership,
        meeting=meeting,
        text=text,
        base_revision=minutes.revision,
    )


def _copil(committee, secretary, membership, today):
    kw = {"actor": secretary, "membership": membership, "committee": committee}
    org = {
        o.slug: o
        for o in Organisation.objects.filter(slug__in=[*SIGNATORIES, "region-idf", "defi-metiers"])
    }
    m1, m1_items = _meeting(
        committee,
        secretary,
        today - timedelta(days=150),
        "Installation du comité de pilotage",
        "Conseil régional d'Île-de-France, Saint-Ouen",
        MeetingStatus.HELD,
        [
            ("Présentation de la convention et des trois axes", "Région Île-de-France", 30, False),
            ("Feuille de route du partenariat", "Défi métiers", 45, False),
        ],
    )
    _attendance(m1, excused=["unagecif"])
    d1 = services.decision_create(
        **kw,
        title="Adopter la feuille de route des trois axes",
        meeting=m1,
        agenda_item=m1_items[1],
        status=DecisionStatus.ADOPTED,
        text=(
            "Le comité adopte la feuille de route : aiguillage, évènements, "
            "professionnalisation croisée."
        ),
    )
    d2 = services.decision_create(
        **kw,
        title="Mettre en place un outil commun d'orientation entre opérateurs",
        meeting=m1,
        status=DecisionStatus.ADOPTED,
    )
    _write_minutes(
        m1,
        secretary,
        membership,
        "Le comité de pilotage est installé. La Région rappelle les trois axes de la convention.\n"
        "Défi métiers présente la feuille de route, adoptée à l'unanimité (décision "
        f"{d1.reference}).\nLe comité décide de mettre en place un outil commun d'orientation "
        f"({d2.reference}).",
    )
    a_done = services.action_create(
        **kw,
        title="Recenser les offres de service de chaque opérateur",
        owner_organisation=org["defi-metiers"],
        due_on=today - timedelta(days=100),
        decision=d1,
        meeting=m1,
    )
    services.action_update(
        actor=secretary,
        membership=membership,
        action=a_done,
        status=ActionStatus.DONE,
        note="Annuaire publié dans Maillage.",
    )
    a_dropped = services.action_create(
        **kw,
        title="Organiser un séminaire commun au premier semestre",
        owner_organisation=org["region-idf"],
        due_on=today - timedelta(days=80),
        meeting=m1,
    )
    services.action_update(
        actor=secretary,
        membership=membership,
        action=a_dropped,
        status=ActionStatus.DROPPED,
        note="Remplacé par les rencontres du CTR.",
    )

    m2, m2_items = _meeting(
        committee,
        secretary,
        today - timedelta(days=60),
        "Bilan d'étape",
        "Défi métiers, Paris",
        MeetingStatus.HELD,
        [
            ("Premiers chiffres de l'aiguillage", "Défi métiers", 30, False),
            ("Calendrier des évènements communs", "ARML Île-de-France", 20, True),
        ],
    )
    _attendance(m2, represented={"faf-tt": "Dominique Responsable Uniformation"})
    _approve(m1.minutes, m2, secretary, membership)
    d3 = services.decision_create(
        **kw,
        title="Publier un tableau de bord trimestriel des orientations",
        meeting=m2,
        agenda_item=m2_items[0],
        status=DecisionStatus.ADOPTED,
    )
    d4 = services.decision_create(
        **kw,
        title="Ouvrir le partenariat aux Points relais conseil",
        meeting=m2,
        status=DecisionStatus.DEFERRED,
        text="Reportée : attendre le cahier des charges du futur opérateur régional.",
    )
    _write_minutes(
        m2,
        secretary,
        membership,
        f"Le compte rendu de la réunion précédente est approuvé.\nLe comité adopte {d3.reference} "
        f"et reporte {d4.reference}.\n"
        "Le calendrier des évènements est reporté à la prochaine séance.",
    )
    overdue = services.action_create(
        **kw,
        title="Transmettre les volumes d'orientation du trimestre",
        owner_organisation=org["arml-idf"],
        owner_user=User.objects.get(email="responsable@arml-idf.demo"),
        due_on=today - timedelta(days=10),
        decision=d3,
        meeting=m2,
    )
    services.action_update(
        actor=secretary,
        membership=membership,
        action=overdue,
        status=ActionStatus.IN_PROGRESS,
        progress=40,
        note="Données des Missions locales de Paris reçues.",
    )
    services.action_create(
        **kw,
        title="Proposer un format commun de fiche de liaison",
        owner_organisation=org["cheops-idf"],
        due_on=today + timedelta(days=25),
        decision=d3,
        meeting=m2,
    )
    soon = services.action_create(
        **kw,
        title="Consolider le tableau de bord trimestriel",
        owner_organisation=org["defi-metiers"],
        due_on=today + timedelta(days=5),
        decision=d3,
        meeting=m2,
    )
    services.action_update(
        actor=secretary,
        membership=membership,
        action=soon,
        status=ActionStatus.IN_PROGRESS,
        progress=70,
    )

    m3, _ = _meeting(
        committee,
        secretary,
        today - timedelta(days=20),
        "Préparation de l'après-2019",
        "Visioconférence",
        MeetingStatus.HELD,
        [
            (
                "Transition vers l'opérateur régional des actifs occupés",
                "Région Île-de-France",
                40,
                True,
            )
        ],
    )
    _attendance(m3, excused=["afdas", "unifaf-idf"])
    _approve(m2.minutes, m3, secretary, membership)
    _write_minutes(
        m3,
        secretary,
        membership,
        "Projet de compte rendu, à approuver à la prochaine séance.\n"
        "La Région présente le calendrier "
        "de l'appel d'offres de l'opérateur régional ; le point est reporté pour décision.",
    )
    # The upcoming meeting: its agenda is pre-filled as the secretary would get it.
    _meeting(
        committee,
        secretary,
        today + timedelta(days=14),
        "Comité de pilotage de fin d'année",
        "Conseil régional d'Île-de-France, Saint-Ouen",
        MeetingStatus.SCHEDULED,
        [("Questions diverses", "", 10, False)],
    )


def _ctr(committee, secretary, membership, today):
    kw = {"actor": secretary, "membership": membership, "committee": committee}
    org = {o.slug: o for o in Organisation.objects.filter(slug__in=["uniformation-idf", "afdas"])}
    m1, items = _meeting(
        committee,
        secretary,
        today - timedelta(days=90),
        "Lancement des groupes de travail",
        "Défi métiers, Paris",
        MeetingStatus.HELD,
        [
            ("Groupe « aiguillage » : règles d'orientation", "Défi métiers", 45, False),
            ("Groupe « professionnalisation croisée »", "Uniformation Île-de-France", 30, False),
        ],
    )
    _attendance(m1)
    d1 = services.decision_create(
        **kw,
        title="Constituer deux groupes de travail",
        meeting=m1,
        agenda_item=items[0],
        status=DecisionStatus.ADOPTED,
    )
    _write_minutes(
        m1, secretary, membership, f"Deux groupes de travail sont constitués ({d1.reference})."
    )
    services.action_create(
        **kw,
        title="Programmer trois rencontres croisées de conseillers",
        owner_organisation=org["uniformation-idf"],
        due_on=today + timedelta(days=40),
        decision=d1,
        meeting=m1,
    )
    done = services.action_create(
        **kw,
        title="Partager la liste des référents de chaque opérateur",
        owner_organisation=org["afdas"],
        due_on=today - timedelta(days=50),
        meeting=m1,
    )
    services.action_update(
        actor=secretary, membership=membership, action=done, status=ActionStatus.DONE
    )
    m2, _ = _meeting(
        committee,
        secretary,
        today - timedelta(days=45),
        "Point d'avancement des groupes",
        "Visioconférence",
        MeetingStatus.HELD,
        [("Retours des groupes de travail", "", 30, False)],
    )
    _attendance(m2, excused=["faf-tt"])
    _approve(m1.minutes, m2, secretary, membership)
    _write_minutes(m2, secretary, membership, "Les groupes présentent leurs premiers travaux.")
    _meeting(
        committee,
        secretary,
        today + timedelta(days=21),
        "Comité technique de décembre",
        "Défi métiers, Paris",
        MeetingStatus.SCHEDULED,
        [],
    )


def build(*, stdout=None):
    region = Organisation.objects.get(slug="region-idf")
    defi = Organisation.objects.get(slug="defi-metiers")
    secretary = User.objects.get(email="coordination@region-idf.demo")
    membership = Membership.objects.get(user=secretary, organisation=region)
    chair = _user(
        "presidence@region-idf.demo", "Sacha", "Présidence", region, Role.COMMITTEE_MEMBER
    )
    support = _user(
        "appui@defi-metiers.demo", "Morgan", "Appui Défi métiers", defi, Role.COMMITTEE_MEMBER
    )
    copil = Committee.objects.get(slug="comite-de-pilotage")
    ctr = Committee.objects.get(slug="comite-technique-regional")
    started = copil.convention.signed_on
    _seat(copil, chair, region, MemberRole.CHAIR, started)
    _seat(copil, secretary, region, MemberRole.SECRETARY, started)
    _seat(copil, support, defi, MemberRole.GUEST, started)
    _seat(ctr, support, defi, MemberRole.CHAIR, started)
    _seat(ctr, secretary, region, MemberRole.SECRETARY, started)
    for organisation in Organisation.objects.filter(slug__in=SIGNATORIES):
        manager = User.objects.get(email=f"responsable@{organisation.slug}.demo")
        _seat(copil, manager, organisation, MemberRole.MEMBER, started)
        _seat(ctr, manager, organisation, MemberRole.MEMBER, started)
    if Meeting.objects.filter(committee__in=[copil, ctr]).exists():
        return
    today = timezone.localdate()
    _copil(copil, secretary, membership, today)
    _ctr(ctr, secretary, membership, today)
    if stdout is not None:
        stdout.write("governance.demo: comités, réunions, décisions et actions de démonstration")
