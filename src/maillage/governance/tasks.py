"""Background tasks of the governance area (run by the worker, idempotent)."""

from datetime import date

from django_tasks import task

from maillage.governance.reminders import action_reminders_send, convention_end_alerts_send


@task()
def governance_daily(today=None):
    """Action reminders and convention end alerts; `today` (ISO date) is for replays and tests."""
    day = date.fromisoformat(today) if today else None
    soon, overdue = action_reminders_send(day)
    alerts = convention_end_alerts_send(day)
    return {"due_soon": soon, "overdue": overdue, "convention_alerts": alerts}


# Queued by `maillage tick` and the scheduler (collected by `maillage.jobs.schedule`).
PERIODIC_TASKS = [governance_daily]
