"""Background work of the directory: the downloadable files, rebuilt by the worker."""

from django_tasks import task

from maillage.jobs.policy import retry_policy
from maillage.partners.exports import directory_files_build


@retry_policy(
    max_attempts=5, base_seconds=60, max_seconds=3600, label="Export des fichiers de l'annuaire"
)
@task()
def directory_export():
    """Rebuild the data·inclusion and HSDS files if the directory changed (idempotent)."""
    return directory_files_build()


# Queued by `maillage tick` and the scheduler (collected by `maillage.jobs.schedule`). The export
# runs at every slot but only writes when the directory changed since the last files (or when
# they were built on an earlier day: the nightly build), so that the files are at most one slot
# old and, on a quiet night, written once.
PERIODIC_TASKS = [directory_export]
