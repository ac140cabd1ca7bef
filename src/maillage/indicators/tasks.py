"""Worker tasks of the indicators: keep the roll-ups of yesterday and today up to date."""

from django_tasks import task

from maillage.indicators.services import rollups_rebuild_recent


@task()
def rollups_refresh():
    """Idempotent: rebuilding the same days twice writes the same rows."""
    return rollups_rebuild_recent()


# Queued by `maillage tick` and the scheduler (collected by `maillage.jobs.schedule`).
PERIODIC_TASKS = [rollups_refresh]
