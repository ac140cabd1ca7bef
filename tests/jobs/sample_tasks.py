"""Tasks used by the worker's tests: each fails in one way a real task can."""

from django.db import OperationalError
from django_tasks import task

from maillage.core.audit import audit_log
from maillage.jobs.errors import TaskFailure
from maillage.jobs.policy import retry_policy


def _parked(*, marker, organisation_id=None):
    audit_log(actor=None, action="tests.parked", data={"marker": marker})


def _owner(*, marker, organisation_id=None):
    return organisation_id


@retry_policy(max_attempts=3, base_seconds=1, on_parked=_parked, owner=_owner, label="Essai")
@task()
def refused(*, marker, organisation_id=None):
    raise TaskFailure("le serveur a refusé la connexion")


@retry_policy(max_attempts=3, base_seconds=1, on_parked=_parked)
@task()
def refused_for_good(*, marker):
    raise TaskFailure("adresse refusée : elle désigne un réseau interne", permanent=True)


@retry_policy(max_attempts=2, base_seconds=1)
@task()
def database_gone(*, marker):
    raise OperationalError("server closed the connection unexpectedly")


@task()
def succeeds(*, marker):
    audit_log(actor=None, action="tests.done", data={"marker": marker})
    return marker


@retry_policy(max_attempts=3, base_seconds=1, owner=_owner, label="Essai")
@task()
def refused_until_fixed(*, marker, organisation_id=None):
    """Fails until the cause is fixed (an audit row `tests.fixed` stands for it)."""
    from maillage.core.models import AuditEntry

    if not AuditEntry.objects.filter(action="tests.fixed").exists():
        raise TaskFailure("le serveur a refusé la connexion")
    audit_log(actor=None, action="tests.done", data={"marker": marker})
