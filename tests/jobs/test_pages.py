"""« Tâches en échec »: who sees what, the French reason, « Relancer »; and /readyz."""

import pytest
from django.urls import reverse
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from maillage.core.audit import audit_log
from maillage.core.models import AuditEntry
from maillage.jobs.models import TaskRecord
from tests.factories import MembershipFactory
from tests.jobs import sample_tasks


def _park(run_worker, *, marker, organisation_id=None):
    task = sample_tasks.refused_until_fixed
    result = task.enqueue(marker=marker, organisation_id=organisation_id)
    for _ in range(3):
        DBTaskResult.objects.filter(pk=result.id).update(run_after="2000-01-01T00:00:00Z")
        run_worker()
    return TaskRecord.objects.get(pk=result.id)


@pytest.fixture
def coordinator(db):
    return MembershipFactory(coordinator=True)


@pytest.fixture
def manager(db):
    return MembershipFactory(manager=True)


def test_a_coordinator_sees_the_parked_task_with_its_french_reason(client, coordinator, run_worker):
    _park(run_worker, marker="x")
    client.force_login(coordinator.user)
    page = client.get(reverse("jobs:failed_list")).content.decode()
    assert "Tâches en échec" in page and "Le serveur a refusé la connexion" in page
    assert "Relancer" in page


def test_relancer_queues_the_task_again_and_the_worker_does_it(client, coordinator, run_worker):
    record = _park(run_worker, marker="y")
    client.force_login(coordinator.user)
    audit_log(actor=None, action="tests.fixed")  # the cause is fixed
    response = client.post(reverse("jobs:failed_retry", args=[record.pk]), follow=True)
    assert "La tâche est relancée" in response.content.decode()
    run_worker()
    assert DBTaskResult.objects.get(pk=record.pk).status == TaskResultStatus.SUCCESSFUL
    assert AuditEntry.objects.filter(action="jobs.task.retried").count() == 1
    assert AuditEntry.objects.filter(action="tests.done", data__marker="y").count() == 1
    again = client.post(reverse("jobs:failed_retry", args=[record.pk]))
    assert again.status_code == 404  # no longer parked: nothing to retry


def test_a_manager_sees_only_the_parked_tasks_of_their_operator(client, manager, run_worker):
    own = _park(run_worker, marker="own", organisation_id=manager.organisation_id)
    other = _park(run_worker, marker="other", organisation_id=manager.organisation_id + 1000)
    client.force_login(manager.user)
    page = client.get(reverse("jobs:failed_list"))
    rows = page.context["rows"]
    assert [row["record"].pk for row in rows] == [own.pk]
    assert client.post(reverse("jobs:failed_retry", args=[other.pk])).status_code == 404


def test_a_counsellor_may_not_open_the_page(client, db):
    counsellor = MembershipFactory()
    client.force_login(counsellor.user)
    assert client.get(reverse("jobs:failed_list")).status_code == 403


def test_readyz_reports_the_queue_and_the_worker(client, db, run_worker):
    sample_tasks.succeeds.enqueue(marker="z")
    body = client.get("/readyz").json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["ready"] == 1 and body["worker"] == "absent"
    assert body["queue_lag_seconds"] >= 0
