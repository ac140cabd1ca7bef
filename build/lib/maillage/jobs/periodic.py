"""Periodic tasks of the queue itself."""


def periodic_tasks():
    from maillage.jobs.tasks import finished_tasks_purge

    return [finished_tasks_purge]
