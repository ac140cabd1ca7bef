"""Periodic tasks of this area, queued by `maillage tick`."""


def periodic_tasks():
    from maillage.indicators.tasks import rollups_refresh

    return [rollups_refresh]
