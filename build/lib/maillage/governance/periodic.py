"""Periodic tasks of this area, queued by `maillage tick`."""


def periodic_tasks():
    from maillage.governance.tasks import governance_daily

    return [governance_daily]
