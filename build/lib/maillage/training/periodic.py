"""Periodic tasks of this area, queued by `maillage tick`.

Training sessions are events: their reminders, time-boxed offers and after-session surveys are
queued by `maillage.events.periodic`. The library has nothing to do on a schedule.
"""


def periodic_tasks():
    return []
