"""Worker tasks of routing: fold the logged decisions into the daily counts."""

from django_tasks import task

from maillage.routing.services import decision_counts_fold


@task()
def decision_counts_refresh():
    """Idempotent: the rows folded are deleted in the same transaction."""
    return decision_counts_fold()


# Collected by `maillage.jobs.schedule`.
PERIODIC_TASKS = [decision_counts_refresh]
