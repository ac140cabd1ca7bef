"""Periodic tasks of this area, queued by `maillage tick`."""


def periodic_tasks():
    return []
