"""Reads of training sessions: the members' list, one session, enrolments, histories."""

from django.db.models import Avg, Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from maillage.accounts.enums import Role
from maillage.core.scoping import scopes_disabled
from maillage.events.enums import EventStatus, RegistrationStatus
from maillage.events.models import Registration
from maillage.events.workflow import REGISTRATION_WF
from maillage.training.models import TrainingSession

LISTED = (EventStatus.PUBLISHED, EventStatus.REGISTRATION_CLOSED, EventStatus.HELD)


def sessions_visible_to(membership):
    """Sessions are for members: published ones for all; drafts and cancelled ones only for
    their hosts and the coordination. Visitors (membership None) see none."""
    if membership is None:
        return TrainingSession.objects.none()
    condition = Q(event__status__in=LISTED)
    if membership.role == Role.COORDINATOR:
        condition = Q()
    else:
        condition |= Q(hosts=membership.organisation_id)
    return (
        TrainingSession.objects.filter(condition)
        .distinct()
        .select_related("event", "event__lead_organisation")
        .prefetch_related("hosts")
    )


def sessions_list(*, membership, theme=None, period="upcoming"):
    sessions = sessions_visible_to(membership)
    if theme:
        sessions = sessions.filter(theme=theme)
    now = timezone.now()
    if period == "past":
        return sessions.filter(event__ends_at__lt=now).order_by("-event__starts_at")
    return sessions.filter(event__ends_at__gte=now).order_by("event__starts_at")


def session_get(*, membership, pk):
    return get_object_or_404(
        sessions_visible_to(membership).prefetch_related(
            Prefetch("resources", queryset=_published_resources()),
            "event__quotas__organisation",
        ),
        pk=pk,
    )


def _published_resources():
    from maillage.training.enums import ResourceStatus
    from maillage.training.models import Resource

    return Resource.objects.filter(status=ResourceStatus.PUBLISHED).select_related("owner")


def registration_of(session, user):
    return Registration.objects.filter(event_id=session.event_id, user=user).first()


def participants(session):
    """Everyone enrolled (any state but cancelled), for the hosts' check-in list."""
    return (
        Registration.objects.filter(event_id=session.event_id)
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("sent_by_organisation", "user")
        .order_by("status", "last_name", "first_name")
    )


def can_cancel_enrolment(registration):
    """May this enrolment still be cancelled? The events table says, not the template."""
    if registration is None:
        return False
    return REGISTRATION_WF.can(registration, "cancel", "person")


def can_edit_session(session):
    """A held or cancelled session is closed; before that it can be edited, even published."""
    return session.event.status not in (EventStatus.HELD, EventStatus.CANCELLED)


def own_organisation_enrolments(session, organisation):
    return (
        Registration.objects.filter(event_id=session.event_id, sent_by_organisation=organisation)
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("user")
        .order_by("last_name", "first_name")
    )


def history_of(user):
    """A person's training history: every session they enrolled in, newest first."""
    return (
        Registration.objects.filter(user=user, event__training_session__isnull=False)
        .select_related("event", "event__training_session", "sent_by_organisation")
        .order_by("-event__starts_at")
    )


def organisation_history(organisation, *, date_from=None, date_to=None):
    """The training attended by an operator's counsellors (what its manager follows)."""
    records = Registration.objects.filter(
        sent_by_organisation=organisation,
        event__training_session__isnull=False,
        status=RegistrationStatus.ATTENDED,
    )
    if date_from:
        records = records.filter(event__starts_at__date__gte=date_from)
    if date_to:
        records = records.filter(event__starts_at__date__lte=date_to)
    return records.select_related("event", "event__training_session", "user").order_by(
        "last_name", "first_name", "event__starts_at"
    )


@scopes_disabled()
def ratings_summary(session):
    """Average rating, how many answered, and the comments (for the hosts and coordinators)."""
    answered = Registration.objects.filter(
        event_id=session.event_id, survey_answered_at__isnull=False
    )
    figures = answered.aggregate(average=Avg("survey_rating"), count=Count("id"))
    comments = list(
        answered.exclude(survey_comment="").values_list("survey_rating", "survey_comment")[:50]
    )
    return {"average": figures["average"], "count": figures["count"], "comments": comments}
