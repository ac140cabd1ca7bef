"""Events, training, governance and routing indicators.

These read the other areas' tables directly, on purpose: events, registrations, training
sessions and committee actions are small (thousands of rows a year, not millions), so a
roll-up would add a moving part without saving time. Indicators sit on top of the layers, so
they import the other areas' models and enums (a renamed status breaks an import, not a count).
Routing decisions are counted per day by the routing area (`routing.selectors.decision_counts`,
no personal data). Counts of people are hidden under the threshold; counts of things (events,
actions, hours) are not.
"""

from collections import defaultdict
from datetime import datetime, time, timedelta

from django.utils import timezone

from maillage.accounts.models import Membership
from maillage.core.scoping import scopes_disabled
from maillage.events.enums import SEAT_HOLDING, EventKind, EventStatus, RegistrationStatus
from maillage.events.models import Event, EventOrganiser, Registration
from maillage.events.selectors import attended_by_sender
from maillage.governance.enums import ACTION_OPEN_STATUSES, ActionStatus
from maillage.governance.models import Action, Committee
from maillage.indicators import charts, suppression
from maillage.indicators.tables import INTEGER, NUMBER, PERCENT, TEXT, Column, Table
from maillage.partners.models import Organisation
from maillage.routing.enums import Channel
from maillage.routing.selectors import decision_counts
from maillage.training.models import TrainingSession

SEATED = SEAT_HOLDING
# Registrations that were once on the waiting list and then got a seat.
CAME_FROM_WAITLIST = SEAT_HOLDING
NOT_HELD = (EventStatus.DRAFT, EventStatus.CANCELLED)


def _between(period):
    tz = timezone.get_current_timezone()
    low = timezone.make_aware(datetime.combine(period.start, time.min), tz)
    high = timezone.make_aware(datetime.combine(period.end + timedelta(days=1), time.min), tz)
    return low, high


def _events(period, department, *, training):
    low, high = _between(period)
    qs = Event.objects.filter(starts_at__gte=low, starts_at__lt=high).exclude(
        status=EventStatus.DRAFT
    )
    if department:
        qs = qs.filter(department_id=department)
    if training:
        return qs.filter(training_session__isnull=False)
    return qs.exclude(training_session__isnull=False).exclude(kind=EventKind.TRAINING)


@scopes_disabled()
def _registration_stats(event_ids):
    """{event_id: {status: count, "from_waitlist": n, "waitlisted": n}}."""
    stats = defaultdict(lambda: defaultdict(int))
    rows = Registration.objects.filter(event_id__in=event_ids).values_list(
        "event_id", "status", "waitlisted_at"
    )
    for event_id, status, waitlisted_at in rows.iterator(chunk_size=5000):
        stats[event_id][status] += 1
        if waitlisted_at is not None:
            stats[event_id]["waitlisted_ever"] += 1
            if status in CAME_FROM_WAITLIST:
                stats[event_id]["from_waitlist"] += 1
    return stats


def _attendance_rates(attended, no_show):
    if suppression.is_hidden(attended) or suppression.is_hidden(no_show):
        return None, None
    held = attended + no_show
    return suppression.rate(attended, held), suppression.rate(no_show, held)


def _event_row(name, events, stats):
    capacity = sum(e.capacity or 0 for e in events)
    seated = sum(stats[e.pk][s] for e in events for s in SEATED)
    waitlisted = sum(stats[e.pk]["waitlisted_ever"] for e in events)
    converted = sum(stats[e.pk]["from_waitlist"] for e in events)
    attended = sum(stats[e.pk][RegistrationStatus.ATTENDED] for e in events)
    no_show = sum(stats[e.pk][RegistrationStatus.NO_SHOW] for e in events)
    capped = [e for e in events if e.capacity]
    seated_capped = sum(stats[e.pk][s] for e in capped for s in SEATED)
    return [
        name,
        len(events),
        capacity or None,
        seated,
        suppression.ratio(seated_capped, capacity) if capacity else None,
        waitlisted,
        suppression.rate(converted, waitlisted),
        attended,
        no_show,
        *_attendance_rates(attended, no_show),
    ]


def events_table(scope, period, department):
    events = list(_events(period, department, training=False).prefetch_related("organisers"))
    stats = _registration_stats([e.pk for e in events])
    by_org = defaultdict(list)
    for event in events:
        for organiser in event.organisers.all():
            by_org[organiser.organisation_id].append(event)
    orgs = Organisation.objects.filter(pk__in=by_org).order_by("name")
    if not scope.is_partnership:
        orgs = orgs.filter(pk=scope.organisation.pk)
    rows = [_event_row(o.name, by_org[o.pk], stats) for o in orgs]
    footer = [_event_row("Ensemble du partenariat (chaque évènement une fois)", events, stats)]
    columns = [
        Column("organisation", "Opérateur co-organisateur", TEXT),
        Column("events", "Évènements", INTEGER),
        Column("capacity", "Places", INTEGER),
        Column("registrations", "Inscriptions"),
        Column("fill_rate", "Taux de remplissage", PERCENT),
        Column("waitlisted", "Passées par la liste d'attente"),
        Column("waitlist_conversion", "Conversion de la liste d'attente", PERCENT),
        Column("attended", "Présents"),
        Column("no_show", "Absents"),
        Column("attendance_rate", "Taux de présence", PERCENT),
        Column("no_show_rate", "Taux d'absence", PERCENT),
    ]
    chart = charts.hbar(
        title="Inscriptions et présences par opérateur co-organisateur",
        categories=[r[0] for r in rows + footer],
        series=[("Inscriptions", [r[3] for r in rows + footer]),
                ("Présents", [r[7] for r in rows + footer])],
    )  # fmt: skip
    note = (
        "Un évènement co-organisé compte pour chacun de ses co-organisateurs ; la dernière ligne "
        "le compte une seule fois. Taux de présence : présents parmi les personnes pointées."
    )
    return Table("evenements", "Évènements", columns, rows, footer, chart, note)


def contributions_table(scope, period, department):
    low, high = _between(period)
    qs = EventOrganiser.objects.filter(
        event__starts_at__gte=low, event__starts_at__lt=high
    ).exclude(event__status__in=NOT_HELD)
    if department:
        qs = qs.filter(event__department_id=department)
    if not scope.is_partnership:
        qs = qs.filter(organisation=scope.organisation)
    per_org = defaultdict(lambda: [0, 0, 0, 0.0, 0, 0, 0])
    contributions = list(
        qs.values_list(
            "event_id", "organisation_id", "is_lead", "counsellors", "hours", "room", "stand"
        )
    )
    # Each person present is credited once, to the operator that sent them (not to every
    # co-organiser of the event).
    sent = attended_by_sender({c[0] for c in contributions})
    for event_id, org_id, is_lead, counsellors, hours, room, stand in contributions:
        row = per_org[org_id]
        row[0] += 1
        row[1] += int(is_lead)
        row[2] += counsellors
        row[3] += float(hours or 0)
        row[4] += int(bool(room))
        row[5] += int(stand)
        row[6] += sent.get((event_id, org_id), 0)
    orgs = Organisation.objects.filter(pk__in=per_org).order_by("name")
    rows = [[o.name, *per_org[o.pk]] for o in orgs]
    columns = [
        Column("organisation", "Opérateur", TEXT),
        Column("events", "Évènements co-organisés", INTEGER),
        Column("led", "dont pilotés", INTEGER),
        Column("counsellors", "Conseillers mobilisés", INTEGER),
        Column("hours", "Heures apportées", NUMBER),
        Column("rooms", "Salles fournies", INTEGER),
        Column("stands", "Stands tenus", INTEGER),
        Column("attended_sent", "Présents qu'il a orientés"),
    ]
    chart = charts.hbar(
        title="Heures apportées par chaque co-organisateur",
        categories=[r[0] for r in rows],
        series=[("Heures", [round(r[4]) for r in rows])],
        unit=" h",
        counts=False,
    )
    return Table("contributions", "Contributions des co-organisateurs", columns, rows, [], chart)


def _participant_organisations(registrations):
    """{registration_id: organisation_id}: who sent the person, else the person's operator."""
    users = {user for _, user, sent_by in registrations if user and not sent_by}
    first_org = {}
    for user, org in (
        Membership.objects.filter(user_id__in=users, is_active=True)
        .order_by("user_id", "id")
        .values_list("user_id", "organisation_id")
    ):
        first_org.setdefault(user, org)
    return {pk: sent_by or first_org.get(user) for pk, user, sent_by in registrations}


@scopes_disabled()
def training_tables(scope, period, department):
    low, high = _between(period)
    sessions = list(
        TrainingSession.objects.filter(event__starts_at__gte=low, event__starts_at__lt=high)
        .exclude(event__status__in=NOT_HELD)
        .select_related("event")
        .prefetch_related("hosts")
    )
    if department:
        sessions = [s for s in sessions if s.event.department_id == department]
    attended = list(
        Registration.objects.filter(
            event_id__in=[s.event_id for s in sessions], status=RegistrationStatus.ATTENDED
        ).values_list("pk", "user_id", "sent_by_organisation_id")
    )
    event_of = dict(
        Registration.objects.filter(pk__in=[a[0] for a in attended]).values_list("pk", "event_id")
    )
    participant_org = _participant_organisations(attended)
    per_event = defaultdict(list)
    for pk, _, _ in attended:
        per_event[event_of[pk]].append(participant_org.get(pk))
    per_host = defaultdict(lambda: [0, 0, 0.0])
    matrix = defaultdict(int)
    for session in sessions:
        people = per_event.get(session.event_id, [])
        for host in session.hosts.all():
            row = per_host[host.pk]
            row[0] += 1
            row[1] += len(people)
            row[2] += float(session.hours) * len(people)
            for org in people:
                matrix[(host.pk, org)] += 1
    orgs = {o.pk: o for o in Organisation.objects.filter(
        pk__in={*per_host, *(o for _, o in matrix if o)}).order_by("name")}  # fmt: skip
    hosts = [o for o in orgs.values() if o.pk in per_host]
    if not scope.is_partnership:
        hosts = [o for o in hosts if o.pk == scope.organisation.pk]
    rows = [[o.name, *per_host[o.pk]] for o in hosts]
    footer = [[
        "Ensemble du partenariat",
        len(sessions),
        sum(len(per_event.get(s.event_id, [])) for s in sessions),
        sum(float(s.hours) * len(per_event.get(s.event_id, [])) for s in sessions),
    ]]  # fmt: skip
    summary = Table(
        "formation",
        "Sessions de professionnalisation croisée",
        [
            Column("host", "Opérateur hôte", TEXT),
            Column("sessions", "Sessions", INTEGER),
            Column("participants", "Participations"),
            Column("hours", "Heures-stagiaires", NUMBER),
        ],
        rows,
        footer,
        charts.hbar(
            title="Participations par opérateur hôte",
            categories=[r[0] for r in rows],
            series=[("Participations", [r[2] for r in rows])],
        ),
        "Heures-stagiaires : durée de chaque session multipliée par ses présents.",
    )
    learners = sorted({o for _, o in matrix if o}, key=lambda pk: orgs[pk].name)
    if scope.is_partnership:
        row_orgs = [o for o in orgs.values() if o.pk in per_host]
        grid = [[matrix.get((h.pk, pk), 0) for pk in learners] for h in row_orgs]
    else:
        # A manager: whose counsellors they trained (their row), who trained theirs (column).
        me = scope.organisation.pk
        orgs.setdefault(me, scope.organisation)
        row_orgs = [o for o in orgs.values() if o.pk == me or matrix.get((o.pk, me))]
        learners = [pk for pk in learners if matrix.get((me, pk))]
        learners = sorted({*learners, me}, key=lambda pk: orgs[pk].name)
        grid = [
            [matrix.get((h.pk, pk), 0) if me in (h.pk, pk) else None for pk in learners]
            for h in row_orgs
        ]
    matrix_table = Table(
        "matrice-formation",
        "Matrice de la professionnalisation croisée",
        [Column("host", "Opérateur hôte ↓ / conseillers de →", TEXT)]
        + [Column(str(pk), orgs[pk].name) for pk in learners],
        [[h.name, *row] for h, row in zip(row_orgs, grid, strict=True)],
        [],
        charts.heatmap(
            title="Qui a formé les conseillers de qui (présents)",
            row_labels=[h.name for h in row_orgs],
            column_labels=[orgs[pk].name for pk in learners],
            matrix=[["" if v is None else v for v in row] for row in grid],
        ),
        "Lecture : chaque ligne est l'opérateur qui a accueilli la session, chaque colonne "
        "l'opérateur des conseillers présents.",
    )
    return [summary, matrix_table]


def governance_table(scope, period, department):
    today = timezone.localdate()
    qs = Action.objects.all()
    if not scope.is_partnership:
        qs = qs.filter(owner_organisation=scope.organisation)
    per_committee = defaultdict(lambda: [0, 0, 0, 0])
    for committee, status, due_on, closed_on, created in qs.values_list(
        "committee_id", "status", "due_on", "closed_on", "created_at"
    ):
        row = per_committee[committee]
        created_day = timezone.localtime(created).date() if created else None
        if created_day and period.start <= created_day <= period.end:
            row[0] += 1
        if status == ActionStatus.DONE and closed_on and period.start <= closed_on <= period.end:
            row[1] += 1
        if status in ACTION_OPEN_STATUSES:
            row[2] += 1
            if due_on < today:
                row[3] += 1
    committees = Committee.objects.filter(pk__in=per_committee).order_by("kind", "name")
    rows = [[c.name, *per_committee[c.pk]] for c in committees]
    footer = [["Total", *[sum(r[i] for r in rows) for i in range(1, 5)]]] if rows else []
    columns = [
        Column("committee", "Comité", TEXT),
        Column("created", "Actions décidées dans la période", INTEGER),
        Column("done", "Terminées dans la période", INTEGER),
        Column("open", "Ouvertes aujourd'hui", INTEGER),
        Column("overdue", "dont en retard", INTEGER),
    ]
    chart = charts.hbar(
        title="Actions des comités",
        categories=[r[0] for r in rows],
        series=[("Terminées", [r[2] for r in rows]), ("Ouvertes", [r[3] for r in rows]),
                ("En retard", [r[4] for r in rows])],
    )  # fmt: skip
    note = "Pour un opérateur : les actions dont il est responsable."
    return Table("gouvernance", "Actions des comités", columns, rows, footer, chart, note)


def routing_table(scope, period, department):
    primary = None if scope.is_partnership else scope.organisation.slug
    per_primary = defaultdict(lambda: defaultdict(int))
    for slug, channel, count in decision_counts(period.start, period.end, primary=primary):
        per_primary[slug][channel] += count
    names = dict(Organisation.objects.filter(slug__in=per_primary).values_list("slug", "name"))
    keys = sorted(per_primary, key=lambda s: -sum(per_primary[s].values()))
    rows = []
    for slug in keys:
        counts = per_primary[slug]
        others = counts[Channel.COUNSELLOR] + counts[Channel.API]
        rows.append([names.get(slug, slug), counts[Channel.PUBLIC], others, sum(counts.values())])
    columns = [
        Column("primary", "Opérateur suggéré", TEXT),
        Column("public", "Page publique"),
        Column("counsellor", "Conseillers et API"),
        Column("total", "Total"),
    ]
    chart = charts.hbar(
        title="Décisions d'aiguillage par opérateur suggéré",
        categories=[r[0] for r in rows],
        series=[
            ("Page publique", [r[1] for r in rows]),
            ("Conseillers et API", [r[2] for r in rows]),
        ],
        stacked=True,
    )
    note = "Décomptes anonymes par jour ; le filtre par département ne s'applique pas ici."
    return Table(
        "aiguillage", "Aiguillage : décisions par opérateur suggéré", columns, rows, [], chart, note
    )


ACTIVITY_TABLES = {
    "evenements": events_table,
    "contributions": contributions_table,
    "gouvernance": governance_table,
    "aiguillage": routing_table,
}


def activity_tables(scope, period, department):
    tables = [
        events_table(scope, period, department),
        contributions_table(scope, period, department),
    ]
    tables += training_tables(scope, period, department)
    tables.append(governance_table(scope, period, department))
    tables.append(routing_table(scope, period, department))
    return tables


def activity_table(slug, scope, period, department):
    if slug in ACTIVITY_TABLES:
        return ACTIVITY_TABLES[slug](scope, period, department)
    if slug in ("formation", "matrice-formation"):
        return next((t for t in training_tables(scope, period, department) if t.slug == slug), None)
    return None
