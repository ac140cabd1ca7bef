"""Periodic tasks of this area, queued by `maillage tick` (and the demo's scheduler).

The export runs at every slot but only writes when the directory changed since the last files
(or when they were built on an earlier day: the nightly build),
so that the files are at most one slot old and, on a quiet night, written once.
"""


def periodic_tasks():
    from maillage.partners.tasks import directory_export

    return [directory_export]
