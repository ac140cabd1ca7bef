"""Periodic tasks of the queue itself."""


def periodic_tasks():
    from maillage.jobs.tasks import broker_orphans_requeue, finished_tasks_purge

    return [finished_tasks_purge, broker_orphans_requeue]
