"""Exports built by the worker: asked on the inbox, prepared with progress, announced by email,
downloaded by the person who asked only, retried after a failure, removed after N days."""

import csv
import io
import re
import shutil
import subprocess
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from maillage.core.models import AuditEntry
from maillage.referrals import exports
from maillage.referrals.enums import ExportStatus
from maillage.referrals.models import ExportJob, Referral
from maillage.referrals.tasks import referrals_exports_purge
from tests.factories import MembershipFactory
from tests.referrals import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client, receiver):
    membership = MembershipFactory(
        organisation=receiver.organisation, manager=True, user__email="chef@cap-test.fr"
    )
    client.force_login(membership.user)
    return membership


def _ask(client, fmt="csv", **filters):
    response = client.post(reverse("referrals:export"), {"format": fmt, **filters})
    assert response.status_code == 302 and response.url == reverse("referrals:exports")
    return ExportJob.objects.order_by("-pk").first()


def _page(client):
    response = client.get(reverse("referrals:exports"))
    assert response.status_code == 200
    return response


def _download(client, job):
    return client.get(reverse("referrals:export_download", args=[job.pk]))


def _csv_rows(content):
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_the_worker_builds_the_export_emails_the_asker_who_downloads_it(
    client, manager, sender, receiver, run_worker, mailoutbox
):
    factories.send(sender, receiver, first_name="Alice", last_name="Martin")
    factories.send(sender, receiver, first_name="Bruno", last_name="Petit")
    job = _ask(client, "csv", box="received")
    # The request only records it: nothing is written before the worker runs.
    assert job.status == ExportStatus.QUEUED and not job.file
    assert "En attente" in _page(client).content.decode()
    assert _download(client, job).status_code == 404

    run_worker()
    job.refresh_from_db()
    assert job.status == ExportStatus.READY and job.rows_written == 2 and job.size > 0
    mails = [m for m in mailoutbox if "export" in m.subject]
    assert len(mails) == 1 and mails[0].to == ["chef@cap-test.fr"]
    assert "http://" in mails[0].body and reverse("referrals:exports") in mails[0].body

    page = _page(client).content.decode()
    assert "Prêt" in page and reverse("referrals:export_download", args=[job.pk]) in page
    response = _download(client, job)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="orientations-')
    rows = _csv_rows(b"".join(response.streaming_content))
    assert {tuple(r[7:9]) for r in rows[1:]} == {("Alice", "Martin"), ("Bruno", "Petit")}
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "referrals.export.requested",
        "referrals.export.ready",
        "referrals.export.downloaded",
    } <= actions


def test_another_organisation_or_another_person_gets_a_404(
    client, manager, sender, receiver, stranger, run_worker
):
    factories.send(sender, receiver)
    job = _ask(client)
    run_worker()
    assert _download(client, job).status_code == 200
    other_org = MembershipFactory(organisation=stranger.organisation, manager=True)
    client.force_login(other_org.user)
    assert _download(client, job).status_code == 404
    assert reverse("referrals:export_download", args=[job.pk]) not in _page(client).content.decode()
    colleague = MembershipFactory(organisation=receiver.organisation, manager=True)
    client.force_login(colleague.user)
    assert _download(client, job).status_code == 404
    assert client.post(reverse("referrals:export_retry", args=[job.pk])).status_code == 404
    client.logout()
    assert _download(client, job).status_code == 302  # to the sign-in page


def test_the_page_shows_the_progress_and_refreshes_itself(client, manager, sender, receiver):
    factories.send(sender, receiver)
    job = _ask(client)
    # Where the worker is half-way through a large file (it writes these two columns).
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.RUNNING, rows_written=42_000, rows_total=100_000
    )
    response = _page(client)
    assert "En cours : 42 %" in response.content.decode()
    assert response["Refresh"] == "5"  # no JavaScript: the browser reloads the page


def test_the_writers_report_progress_as_rows_are_written(monkeypatch, sender, receiver):
    for _ in range(7):
        factories.send(sender, receiver)
    monkeypatch.setattr(exports, "PROGRESS_ROWS", 2)
    monkeypatch.setattr("maillage.core.exports.PROGRESS_ROWS", 2)
    queryset = Referral.objects.order_by("sent_at", "id")
    for write in (exports.csv_write, exports.xlsx_write):
        seen = []
        assert write(queryset, io.BytesIO(), progress=seen.append) == 7
        assert seen and seen == sorted(seen) and seen[-1] <= 7


def test_the_file_is_removed_after_the_retention_period(
    client, manager, sender, receiver, run_worker, settings, exports_storage
):
    settings.MAILLAGE_EXPORT_RETENTION_DAYS = 7
    factories.send(sender, receiver)
    job = _ask(client)
    run_worker()
    job.refresh_from_db()
    assert (exports_storage / job.file.name).exists()
    referrals_exports_purge.enqueue(now=(timezone.now() + timedelta(days=6)).isoformat())
    run_worker()
    assert _download(client, job).status_code == 200  # six days: still there
    referrals_exports_purge.enqueue(now=(timezone.now() + timedelta(days=8)).isoformat())
    run_worker()
    assert not (exports_storage / job.file.name).exists()
    job.refresh_from_db()
    assert job.status == ExportStatus.REMOVED and not job.file
    assert _download(client, job).status_code == 404
    assert "Fichier supprimé" in _page(client).content.decode()


def test_a_failed_export_shows_its_reason_and_can_be_retried(
    client, manager, sender, receiver, run_worker, settings, tmp_path, exports_storage
):
    factories.send(sender, receiver, first_name="Alice")
    settings.MAILLAGE_RETRY_DELAY_SCALE = 0  # the worker's retries are due at once
    # The exports' storage is broken: its folder is a plain file.
    blocked = tmp_path / "blocked"
    blocked.write_text("")
    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {**settings.STORAGES["exports"], "OPTIONS": {"location": str(blocked / "x")}},
    }
    job = _ask(client, "xlsx")
    run_worker()
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED
    page = _page(client).content.decode()
    assert "En échec" in page and "stockage des exports est indisponible" in page
    assert DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count() == 1

    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {
            **settings.STORAGES["exports"],
            "OPTIONS": {"location": str(exports_storage)},
        },
    }
    response = client.post(reverse("referrals:export_retry", args=[job.pk]))
    assert response.status_code == 302
    run_worker()
    job.refresh_from_db()
    assert job.status == ExportStatus.READY and job.error == ""
    workbook = load_workbook(io.BytesIO(b"".join(_download(client, job).streaming_content)))
    assert workbook["Orientations"]["H2"].value == "Alice"
    # A second « Relancer » has nothing to do: said in French, not a 500.
    response = client.post(reverse("referrals:export_retry", args=[job.pk]), follow=True)
    assert "rien à relancer" in response.content.decode()


def test_an_export_whose_worker_was_killed_is_taken_up_again(
    client, manager, sender, receiver, run_worker, settings
):
    factories.send(sender, receiver)
    job = _ask(client)
    # A worker claimed it, wrote part of the file, and was killed: no heartbeat holds it.
    started = timezone.now() - timedelta(seconds=settings.MAILLAGE_WORKER_LEASE_SECONDS * 2)
    DBTaskResult.objects.filter(task_path__endswith="referrals_export_build").update(
        status=TaskResultStatus.RUNNING, started_at=started
    )
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.RUNNING, rows_written=1, rows_total=1
    )
    run_worker()
    job.refresh_from_db()
    assert job.status == ExportStatus.READY and job.rows_written == 1
    assert _download(client, job).status_code == 200


def test_bad_input_falls_back_to_the_defaults(client, manager, sender, receiver):
    job = _ask(client, "exe", box="../../etc", status="nimporte")
    assert job.format == "csv" and job.filters == {"box": "all", "status": None}


HOSTILE = ['=HYPERLINK("http://x","y")', "@SUM(A1:A2)", "-2+3", "Zoé & <Léa>\\"]


def test_the_xlsx_has_typed_cells_and_neutralised_text(
    client, manager, sender, receiver, export_built
):
    for name in HOSTILE:
        factories.send(sender, receiver, first_name=name, birth_date=date(1990, 4, 2))
    content = export_built("xlsx")
    sheet = load_workbook(io.BytesIO(content))["Orientations"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:V{len(HOSTILE) + 1}"
    rows = list(sheet.iter_rows(min_row=2))
    firsts = {row[7].value for row in rows}
    assert firsts == {"'" + HOSTILE[0], "'" + HOSTILE[1], "'" + HOSTILE[2], HOSTILE[3]}
    for row in rows:
        assert row[0].data_type == "n" and isinstance(row[0].value, int)
        assert isinstance(row[1].value, datetime) and row[1].number_format == "DD/MM/YYYY HH:MM"
        assert row[9].value == datetime(1990, 4, 2) and row[9].number_format == "DD/MM/YYYY"
        assert row[7].data_type == "s"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice absent")
def test_libreoffice_reads_the_xlsx_with_french_dates(
    client, manager, sender, receiver, export_built, tmp_path
):
    factories.send(sender, receiver, first_name="=1+1", birth_date=date(1990, 4, 2))
    path = tmp_path / "export.xlsx"
    path.write_bytes(export_built("xlsx"))
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):59,34,76",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    rows = list(csv.reader(io.StringIO((tmp_path / "export.csv").read_text()), delimiter=";"))
    assert rows[0][:3] == ["Numéro", "Envoyée le", "État"]
    row = rows[1]
    assert row[7] == "'=1+1"  # text, never computed
    assert row[9] == "02/04/1990"
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", row[1])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY: PostgreSQL only")
def test_the_xlsx_written_by_postgresql_has_the_cells_of_the_row_by_row_writer(sender, receiver):
    for name in [*HOSTILE, "Anne\tMarie\r\nsuite", "\t=1+1", "\x07cloche"]:
        factories.send(sender, receiver, first_name=name, last_name='Du "Pont"')
    queryset = Referral.objects.order_by("sent_at", "id")
    copied, by_rows = io.BytesIO(), io.BytesIO()
    exports.xlsx_write(queryset, copied)
    exports.write_xlsx(exports._table(queryset), by_rows, title="Orientations")

    def cells(data):
        sheet = load_workbook(io.BytesIO(data.getvalue()))["Orientations"]
        return [
            [
                (
                    c.value.replace(microsecond=0) if isinstance(c.value, datetime) else c.value,
                    c.data_type,
                    c.number_format,
                )
                for c in row
            ]
            for row in sheet.iter_rows()
        ]

    assert cells(copied) == cells(by_rows)
