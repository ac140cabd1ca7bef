"""« Tâches en échec »: what the worker gave up on, why, and « Relancer »; and `/readyz`."""

from django.conf import settings
from django.contrib import messages
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from maillage.accounts.enums import Role
from maillage.accounts.permissions import membership_required
from maillage.core.errors import DomainError
from maillage.jobs import selectors, services


@membership_required(Role.COORDINATOR, Role.MANAGER)
def failed_list(request):
    records = list(selectors.parked_tasks_visible_to(request.membership)[:200])
    rows = [{"record": r, "label": selectors.task_label(r)} for r in records]
    return render(request, "jobs/failed_list.html", {"rows": rows})


@require_POST
@membership_required(Role.COORDINATOR, Role.MANAGER)
def failed_retry(request, pk):
    record = selectors.parked_task_get(request.membership, pk)
    try:
        services.task_retry(actor=request.user, record=record)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "La tâche est relancée : le worker la reprend dans un instant.")
    return redirect("jobs:failed_list")


def readyz(request):
    """Ready to serve: the database answers; with the queue's lag and the worker's heartbeat."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        health = selectors.queue_health()
    except DatabaseError:
        return JsonResponse(
            {"status": "unavailable", "database": "unavailable"},
            status=503,
            headers={"Retry-After": "30"},
        )
    stale_after = settings.MAILLAGE_WORKER_LEASE_SECONDS * 2
    age = health["worker_heartbeat_age_seconds"]
    health["worker"] = "ok" if age is not None and age <= stale_after else "absent"
    return JsonResponse({"status": "ok", "database": "ok", **health})
