"""Exports built by the worker: asked from the inbox, written into a private file with its
progress, announced by email, downloaded by the person who asked, removed after N days.

No request runs for minutes: the page records an `ExportJob` and queues its id in the same
transaction; the worker's task (`referrals.tasks.referrals_export_build`) writes the file. A
failure is retried by the worker (leases, back-off), then shown with its French reason and
« Relancer »; a task whose worker was killed is taken up again and starts the file afresh.
"""

import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Case, F, TextField, Value, When
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from maillage.core.audit import audit_log
from maillage.core.email import email_queue
from maillage.core.errors import Conflict
from maillage.jobs.errors import TaskFailure
from maillage.jobs.queue import enqueue_with_transaction
from maillage.referrals import exports, selectors
from maillage.referrals.enums import ExportFormat, ExportStatus, Status
from maillage.referrals.models import ExportJob, export_path, exports_storage

STOPPED = "le worker s'est arrêté pendant la préparation du fichier"


def _queue(job):
    from maillage.referrals.tasks import referrals_export_build

    enqueue_with_transaction(referrals_export_build, export_id=job.pk)


def export_request(*, actor, organisation, box="all", status=None, fmt=ExportFormat.CSV):
    """Record the export asked for and queue its building (audited)."""
    box = box if box in selectors.BOXES else "all"
    status = status if status in Status.values else None
    fmt = fmt if fmt in ExportFormat.values else ExportFormat.CSV
    with transaction.atomic():
        job = ExportJob.objects.create(
            organisation=organisation,
            requested_by=actor,
            filters={"box": box, "status": status},
            format=fmt,
            created_at=timezone.now(),
        )
        audit_log(
            actor=actor,
            action="referrals.export.requested",
            obj=job,
            organisation=organisation,
            data={"box": box, "status": status, "format": fmt},
        )
        _queue(job)
    return job


def export_retry(*, actor, job):
    """« Relancer » an export that failed: queued again (audited)."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().get(pk=job.pk)
        if job.status != ExportStatus.FAILED:
            raise Conflict("Cet export n'est pas en échec : il n'y a rien à relancer.")
        job.status = ExportStatus.QUEUED
        job.error = ""
        job.rows_written = 0
        job.save(update_fields=["status", "error", "rows_written"])
        audit_log(
            actor=actor,
            action="referrals.export.retried",
            obj=job,
            organisation=job.organisation,
        )
        _queue(job)
    return job


def export_open(job):
    """The export's file, opened for reading (the storage of the settings in force)."""
    return exports_storage().open(job.file.name, "rb")


def export_download(*, actor, organisation, export_id):
    """The ready export of this person in this organisation (404 otherwise), audited."""
    job = selectors.export_get(user=actor, organisation=organisation, export_id=export_id)
    audit_log(
        actor=actor,
        action="referrals.export.downloaded",
        obj=job,
        organisation=organisation,
        data={"format": job.format, "rows": job.rows_written},
    )
    return job


def _queryset(job):
    filters = job.filters or {}
    return selectors.inbox(
        organisation=job.organisation,
        box=filters.get("box") or "all",
        status=filters.get("status") or None,
    ).order_by("sent_at", "id")


def _start(export_id):
    """Claim the export for this attempt; None if there is nothing (more) to build."""
    with transaction.atomic():
        job = (
            ExportJob.objects.select_for_update()
            .select_related("organisation", "requested_by")
            .filter(pk=export_id)
            .first()
        )
        if job is None or job.status not in (ExportStatus.QUEUED, ExportStatus.RUNNING):
            return None  # built already, removed, or given up: running twice changes nothing
        # RUNNING here: the worker of an earlier attempt was stopped; the file starts afresh.
        job.status = ExportStatus.RUNNING
        job.started_at = timezone.now()
        job.rows_written = 0
        job.rows_total = _queryset(job).count()
        job.error = ""
        job.save(update_fields=["status", "started_at", "rows_written", "rows_total", "error"])
    return job


def export_build(*, export_id):
    """Write the export's file (the worker's task); returns the number of rows written."""
    job = _start(export_id)
    if job is None:
        return 0

    def progress(rows):
        ExportJob.objects.filter(pk=job.pk).update(rows_written=rows)

    write = exports.xlsx_write if job.format == ExportFormat.XLSX else exports.csv_write
    stamp = timezone.localtime(job.created_at).strftime("%Y-%m-%d-%Hh%M")
    filename = f"orientations-{job.organisation.slug}-{stamp}.{job.format}"
    with tempfile.TemporaryFile() as handle:
        rows = write(_queryset(job), handle, progress=progress)
        size = handle.tell()
        handle.seek(0)
        try:
            name = exports_storage().save(export_path(job, filename), File(handle))
        except OSError as error:
            raise TaskFailure(
                "le fichier n'a pas pu être enregistré : le stockage des exports est "
                "indisponible ou plein"
            ) from error
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().get(pk=job.pk)
        if job.status != ExportStatus.RUNNING:
            exports_storage().delete(name)  # taken over meanwhile: the other attempt's file wins
            return 0
        job.file.name = name
        job.filename = filename
        job.size = size
        job.rows_written = rows
        job.rows_total = rows
        job.status = ExportStatus.READY
        job.finished_at = timezone.now()
        job.save()
        audit_log(
            actor=None,
            action="referrals.export.ready",
            obj=job,
            organisation=job.organisation,
            data={"rows": rows, "size": size},
        )
        _announce(job)
    return rows


def _announce(job):
    body = render_to_string(
        "referrals/email/export_ready.txt",
        {
            "job": job,
            "url": settings.SITE_URL.rstrip("/") + reverse("referrals:exports"),
            "days": settings.MAILLAGE_EXPORT_RETENTION_DAYS,
        },
    )
    email_queue(
        subject=f"[Maillage] Votre export des orientations est prêt ({job.rows_written} lignes)",
        body=body,
        to=[job.requested_by.email],
        dedup_key=f"referrals:export:{job.pk}:ready:{job.finished_at:%Y%m%d%H%M%S%f}",
    )


def export_attempt_failed(*, export_id, reason):
    """An attempt failed; the worker tries again later (or gives up): the page says why."""
    ExportJob.objects.filter(pk=export_id, status=ExportStatus.RUNNING).update(
        status=ExportStatus.QUEUED, error=reason
    )


def export_failed(*, export_id):
    """The worker gave up (`on_parked`): the page shows the reason and « Relancer »."""
    ExportJob.objects.filter(
        pk=export_id, status__in=(ExportStatus.QUEUED, ExportStatus.RUNNING)
    ).update(
        status=ExportStatus.FAILED,
        error=Case(
            When(error="", then=Value(STOPPED)), default=F("error"), output_field=TextField()
        ),
        finished_at=timezone.now(),
    )


def exports_purge(*, now=None):
    """Remove the files of exports older than the retention period (the rows stay, saying so)."""
    now = now or timezone.now()
    limit = now - timedelta(days=settings.MAILLAGE_EXPORT_RETENTION_DAYS)
    removed = 0
    due = ExportJob.objects.filter(
        status__in=(ExportStatus.READY, ExportStatus.FAILED), finished_at__lt=limit
    ).values_list("pk", flat=True)
    for pk in list(due[:1000]):
        with transaction.atomic():
            job = ExportJob.objects.select_for_update().filter(pk=pk).first()
            if job is None or job.status == ExportStatus.REMOVED:
                continue
            if job.file.name:
                exports_storage().delete(job.file.name)
            job.file.name = ""
            job.status = ExportStatus.REMOVED
            job.save(update_fields=["file", "status"])
            removed += 1
    return removed


def export_owner(*, export_id):
    """Whose managers see the parked task in « Tâches en échec »."""
    return ExportJob.objects.filter(pk=export_id).values_list("organisation_id", flat=True).first()
