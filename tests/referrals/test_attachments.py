"""Attachments: checked by content, kept through the storage API, served to both sides only,
audited, and erased from storage with the referral's personal data."""

import io
import zipfile

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from maillage.core.errors import DomainError
from maillage.core.models import AuditEntry
from maillage.referrals.models import Attachment
from maillage.referrals.services import referral_anonymise
from maillage.referrals.services.attachments import sniff
from tests.referrals import factories

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 40


def _zip(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
XLSX = _zip({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})
ODT = _zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"})
ODS = _zip({"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"})


@pytest.fixture(autouse=True)
def attachments_root(tmp_path, settings, monkeypatch):
    """Each test stores its files in its own directory, through the `attachments` entry."""
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path), "base_url": None},
        },
    }
    monkeypatch.setattr(Attachment._meta.get_field("file"), "storage", storages["attachments"])
    return tmp_path


def _upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def _send_with(sender, receiver, *uploads, **extra):
    return factories.send(sender, receiver, attachments=list(uploads), **extra)


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (PDF, "application/pdf"),
        (PNG, "image/png"),
        (JPEG, "image/jpeg"),
        (DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (ODT, "application/vnd.oasis.opendocument.text"),
        (ODS, "application/vnd.oasis.opendocument.spreadsheet"),
    ],
)
def test_the_type_is_read_from_the_content(content, content_type):
    assert sniff(content).content_type == content_type


@pytest.mark.parametrize(
    "content",
    [
        b"<html><script>alert(1)</script></html>",
        b'<svg xmlns="http://www.w3.org/2000/svg"/>',
        _zip({"readme.txt": "zip ordinaire"}),
        b"MZ\x90\x00",
    ],
)
def test_html_svg_plain_zip_and_programs_are_not_accepted(content):
    assert sniff(content) is None


def test_a_referral_keeps_its_pdf_outside_the_web_root(sender, receiver, attachments_root):
    referral = _send_with(sender, receiver, _upload("cv-ines.pdf", PDF))
    attachment = referral.attachments.get()
    assert (attachment.name, attachment.content_type, attachment.size) == (
        "cv-ines.pdf",
        "application/pdf",
        len(PDF),
    )
    stored = attachments_root / attachment.file.name
    assert stored.read_bytes() == PDF
    # The stored name says nothing about the person.
    assert "ines" not in attachment.file.name


def test_an_extension_that_lies_about_the_content_is_refused(sender, receiver):
    with pytest.raises(DomainError, match="ne correspond pas") as exc:
        _send_with(sender, receiver, _upload("photo.pdf", PNG))
    assert exc.value.field == "attachments"
    assert not Attachment.objects.exists()


def test_an_html_file_named_pdf_is_refused(sender, receiver):
    with pytest.raises(DomainError, match="type accepté"):
        _send_with(sender, receiver, _upload("cv.pdf", b"<html><body>cv</body></html>"))


def test_a_file_over_the_size_limit_is_refused(sender, receiver, settings):
    settings.MAILLAGE_ATTACHMENT_MAX_BYTES = 1024
    with pytest.raises(DomainError, match="taille"):
        _send_with(sender, receiver, _upload("cv.pdf", PDF + b"0" * 2000))


def test_more_files_than_allowed_are_refused(sender, receiver, settings):
    settings.MAILLAGE_ATTACHMENTS_PER_REFERRAL = 2
    with pytest.raises(DomainError, match="Au plus 2"):
        _send_with(sender, receiver, *[_upload(f"cv{i}.pdf", PDF) for i in range(3)])


def test_both_sides_download_it_as_an_attachment_and_each_download_is_audited(
    client, sender, receiver
):
    referral = _send_with(sender, receiver, _upload("compte-rendu.docx", DOCX))
    attachment = referral.attachments.get()
    url = reverse("referrals:attachment", args=[referral.pk, attachment.pk])
    for membership in (receiver, sender):
        client.force_login(membership.user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert "compte-rendu.docx" in response["Content-Disposition"]
        assert response["Content-Type"] == attachment.content_type
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == DOCX
    downloads = AuditEntry.objects.filter(action="referrals.attachment.downloaded")
    assert sorted(e.organisation_id for e in downloads) == sorted(
        [sender.organisation_id, receiver.organisation_id]
    )


def test_another_organisation_gets_a_404_and_no_file(client, sender, receiver, stranger):
    referral = _send_with(sender, receiver, _upload("cv.pdf", PDF))
    attachment = referral.attachments.get()
    client.force_login(stranger.user)
    url = reverse("referrals:attachment", args=[referral.pk, attachment.pk])
    assert client.get(url).status_code == 404
    other = factories.send(sender, receiver)
    # Nor through a referral of its own... nor through another referral's number.
    client.force_login(sender.user)
    wrong = reverse("referrals:attachment", args=[other.pk, attachment.pk])
    assert client.get(wrong).status_code == 404
    assert not AuditEntry.objects.filter(action="referrals.attachment.downloaded").exists()


def test_the_detail_page_lists_the_attachments_for_the_receiver(client, sender, receiver):
    referral = _send_with(sender, receiver, _upload("cv.pdf", PDF))
    client.force_login(receiver.user)
    html = client.get(referral.get_absolute_url()).content.decode()
    attachment = referral.attachments.get()
    assert reverse("referrals:attachment", args=[referral.pk, attachment.pk]) in html
    assert "cv.pdf" in html


def test_the_send_page_takes_files(client, sender, receiver):
    from tests.referrals.test_pages import CREATE_FORM

    client.force_login(sender.user)
    response = client.post(
        reverse("referrals:create"), {**CREATE_FORM, "attachments": [_upload("cv.pdf", PDF)]}
    )
    assert response.status_code == 302
    assert Attachment.objects.get().name == "cv.pdf"
    refused = client.post(
        reverse("referrals:create"),
        {**CREATE_FORM, "last_name": "Autre", "attachments": [_upload("cv.pdf", PNG)]},
    )
    assert refused.status_code == 400
    assert "ne correspond pas à son contenu" in refused.content.decode()


def test_anonymisation_erases_the_files_from_storage(sender, receiver, attachments_root):
    referral = _send_with(sender, receiver, _upload("cv.pdf", PDF), _upload("photo.png", PNG))
    names = [a.file.name for a in referral.attachments.all()]
    assert all(storages["attachments"].exists(name) for name in names)
    assert referral_anonymise(referral_id=referral.pk)
    assert not any(storages["attachments"].exists(name) for name in names)
    assert not Attachment.objects.filter(referral=referral).exists()
    assert not [p for p in attachments_root.rglob("*") if p.is_file()]


@pytest.mark.django_db(transaction=True)
def test_the_retention_task_erases_the_files_through_the_worker(
    sender, receiver, run_worker, settings, attachments_root
):
    from datetime import timedelta

    from django.utils import timezone

    from maillage.referrals import tasks
    from maillage.referrals.enums import Status
    from maillage.referrals.models import Referral

    settings.MAILLAGE_REFERRAL_RETENTION_MONTHS = 24
    old = _send_with(sender, receiver, _upload("cv.pdf", PDF))
    old = factories.walk(old, sender, receiver, Status.REFUSED)
    kept = _send_with(sender, receiver, _upload("cv2.pdf", PDF), last_name="Récente")
    Referral.objects.filter(pk=old.pk).update(ended_at=timezone.now() - timedelta(days=2 * 366))
    old_name = old.attachments.get().file.name
    kept_name = kept.attachments.get().file.name
    tasks.referrals_anonymise.enqueue()
    run_worker()
    assert not storages["attachments"].exists(old_name)
    assert storages["attachments"].exists(kept_name)
    assert not Attachment.objects.filter(referral=old).exists()
