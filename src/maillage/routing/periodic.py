"""Periodic tasks of this area, queued by `maillage tick`."""


def periodic_tasks():
    from maillage.routing.tasks import decision_counts_refresh

    return [decision_counts_refresh]
