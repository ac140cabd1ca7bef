"""Reminders of actions (before the due date, when overdue) and convention end alerts.

Run by the worker every day through `maillage tick`; each sending first inserts a unique row
(action, kind and due date; convention, threshold and end date), so a second run sends nothing.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone

from maillage.accounts.enums import Role
from maillage.accounts.models import Membership
from maillage.core.audit import audit_log
from maillage.core.email import email_queue
from maillage.governance.enums import ACTION_OPEN_STATUSES, EDITOR_ROLES, ReminderKind
from maillage.governance.models import (
    Action,
    ActionReminder,
    CommitteeMember,
    ConventionEndAlert,
)
from maillage.governance.services.common import absolute
from maillage.governance.services.conventions import convention_effective_end
from maillage.partners.models import Convention

END_ALERT_DAYS = (90, 30)


class _Seats:
    """Current seats per committee, read once per run rather than once per reminder."""

    def __init__(self, day):
        self.day = day
        self.by_committee = {}

    def of(self, committee_id):
        if committee_id not in self.by_committee:
            self.by_committee[committee_id] = list(
                CommitteeMember.objects.current(self.day)
                .filter(committee_id=committee_id, user__is_active=True)
                .values_list("organisation_id", "role", "user__email")
            )
        return self.by_committee[committee_id]


def _action_recipients(action, kind, seats):
    """The named owner, else the owner organisation's seats; overdue ones also go to editors."""
    rows = seats.of(action.committee_id)
    emails = set()
    if action.owner_user_id and action.owner_user.is_active:
        emails.add(action.owner_user.email)
    else:
        emails.update(email for org, _, email in rows if org == action.owner_organisation_id)
    if kind == ReminderKind.OVERDUE:
        emails.update(email for _, role, email in rows if role in EDITOR_ROLES)
    return sorted(emails)


def _send_action_reminder(action, kind, day, seats):
    recipients = _action_recipients(action, kind, seats)
    with transaction.atomic():
        _, created = ActionReminder.objects.get_or_create(
            action=action,
            kind=kind,
            due_on=action.due_on,
            defaults={"recipients": len(recipients)},
        )
        if not created:
            return 0
        if kind == ReminderKind.OVERDUE:
            subject = f"Action en retard : {action.title}"
        else:
            subject = f"Échéance le {action.due_on:%d/%m/%Y} : {action.title}"
        body = render_to_string(
            "governance/email/action_reminder.txt",
            {
                "action": action,
                "kind": kind,
                "days_late": (day - action.due_on).days,
                "days_left": (action.due_on - day).days,
                "url": absolute(action.get_absolute_url()),
            },
        )
        for email in recipients:
            email_queue(subject=subject, body=body, to=[email])
        audit_log(
            actor=None,
            action=f"governance.action.reminder_{kind}",
            obj=action,
            organisation=action.owner_organisation,
            data={"due_on": action.due_on.isoformat(), "recipients": len(recipients)},
        )
        return 1


def action_reminders_send(today=None):
    """Remind owners N days before the due date and once when overdue; returns (soon, overdue)."""
    day = today or timezone.localdate()
    soon_limit = day + timedelta(days=getattr(settings, "MAILLAGE_GOVERNANCE_REMINDER_DAYS", 7))
    actions = Action.objects.filter(status__in=ACTION_OPEN_STATUSES).select_related(
        "committee", "owner_organisation", "owner_user"
    )
    seats = _Seats(day)
    soon = _send_in_chunks(
        _not_yet_reminded(
            actions.filter(due_on__gte=day, due_on__lte=soon_limit), ReminderKind.DUE_SOON
        ),
        ReminderKind.DUE_SOON,
        day,
        seats,
    )
    overdue = _send_in_chunks(
        _not_yet_reminded(actions.filter(due_on__lt=day), ReminderKind.OVERDUE),
        ReminderKind.OVERDUE,
        day,
        seats,
    )
    return soon, overdue


CHUNK = 100


def _send_in_chunks(actions, kind, day, seats):
    """One transaction per CHUNK reminders: a crash keeps what was sent, and a large first run
    does not pay one commit per reminder (each reminder is still its own savepoint)."""
    pending = list(actions.order_by("due_on", "pk"))
    sent = 0
    for start in range(0, len(pending), CHUNK):
        with transaction.atomic():
            for action in pending[start : start + CHUNK]:
                sent += _send_action_reminder(action, kind, day, seats)
    return sent


def _not_yet_reminded(actions, kind):
    """Leave out, in SQL, the actions already reminded for their current due date; the unique
    row inserted by `_send_action_reminder` still guards against two workers racing."""
    sent = ActionReminder.objects.filter(
        action=OuterRef("pk"), kind=kind, due_on=OuterRef("due_on")
    )
    return actions.exclude(Exists(sent))


def convention_end_alerts_send(today=None):
    """Alert coordinators 90 and 30 days before a convention's end in force; returns the count."""
    day = today or timezone.localdate()
    sent = 0
    for convention in Convention.objects.all():
        ends_on = convention_effective_end(convention)
        if ends_on is None or ends_on < day:
            continue
        days_left = (ends_on - day).days
        due = [threshold for threshold in END_ALERT_DAYS if days_left <= threshold]
        if not due:
            continue
        with transaction.atomic():
            created = [
                threshold
                for threshold in due
                if ConventionEndAlert.objects.get_or_create(
                    convention=convention, days_before=threshold, ends_on=ends_on
                )[1]
            ]
            if not created:
                continue
            # Only the nearest threshold is worth an email: a late first run does not send both.
            threshold = min(created)
            emails = sorted(
                set(
                    Membership.objects.active()
                    .filter(role=Role.COORDINATOR, user__is_active=True)
                    .values_list("user__email", flat=True)
                )
            )
            ConventionEndAlert.objects.filter(
                convention=convention, days_before=threshold, ends_on=ends_on
            ).update(recipients=len(emails))
            body = render_to_string(
                "governance/email/convention_end.txt",
                {
                    "convention": convention,
                    "ends_on": ends_on,
                    "days_left": days_left,
                    "threshold": threshold,
                    "url": absolute("/partenariat/chronologie/"),
                },
            )
            for email in emails:
                email_queue(
                    subject=f"La convention « {convention.title} » prend fin le {ends_on:%d/%m/%Y}",
                    body=body,
                    to=[email],
                )
            audit_log(
                actor=None,
                action="governance.convention.end_alert",
                obj=convention,
                data={"days_before": threshold, "ends_on": ends_on.isoformat()},
            )
            sent += 1
    return sent
