"""Attachments of a referral: checked by their content, stored through the storage API."""

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from maillage.core.audit import audit_log
from maillage.core.errors import DomainError
from maillage.referrals.models import Attachment
from maillage.referrals.selectors import attachment_get


@dataclass(frozen=True)
class Kind:
    content_type: str
    extensions: tuple
    label: str


PDF = Kind("application/pdf", (".pdf",), "PDF")
PNG = Kind("image/png", (".png",), "image PNG")
JPEG = Kind("image/jpeg", (".jpg", ".jpeg"), "image JPEG")
DOCX = Kind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
    "document Word",
)
XLSX = Kind(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx",),
    "tableur Excel",
)
ODT = Kind("application/vnd.oasis.opendocument.text", (".odt",), "document OpenDocument")
ODS = Kind("application/vnd.oasis.opendocument.spreadsheet", (".ods",), "tableur OpenDocument")
KINDS = (PDF, PNG, JPEG, DOCX, XLSX, ODT, ODS)
ACCEPT = ",".join(ext for kind in KINDS for ext in kind.extensions)


def _zip_kind(data):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if "mimetype" in names:
            declared = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
            return {ODT.content_type: ODT, ODS.content_type: ODS}.get(declared)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return None
    if "[Content_Types].xml" in names:
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
    return None


def sniff(data):
    """The kind of a file from its first bytes (and, for office files, its zip contents)."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    return None


def _clean_name(name):
    name = PurePath(str(name or "")).name.replace("\x00", "").strip()
    return name[-150:] or "document"


def _checked(upload):
    """(kind, bytes, name) of one upload, or a French error naming the file."""
    name = _clean_name(getattr(upload, "name", ""))
    limit = settings.MAILLAGE_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise DomainError(
            f"« {name} » dépasse la taille permise ({limit // (1024 * 1024)} Mo par fichier).",
            code="attachment_size",
            field="attachments",
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    kind = sniff(data)
    allowed = ", ".join(k.label for k in KINDS)
    if kind is None:
        raise DomainError(
            f"« {name} » n'est pas d'un type accepté ({allowed}).",
            code="attachment_type",
            field="attachments",
        )
    if PurePath(name).suffix.lower() not in kind.extensions:
        raise DomainError(
            f"« {name} » est un fichier {kind.label} : son extension ne correspond pas à son "
            "contenu. Renommez-le ou joignez le bon fichier.",
            code="attachment_mismatch",
            field="attachments",
        )
    return kind, data, name


def attachments_check(uploads, *, already=0):
    """Refuse before anything is written: too many files, too large, or of a wrong type."""
    limit = settings.MAILLAGE_ATTACHMENTS_PER_REFERRAL
    if len(uploads) + already > limit:
        raise DomainError(
            f"Au plus {limit} pièces jointes par orientation.",
            code="attachment_count",
            field="attachments",
        )
    for upload in uploads:
        _checked(upload)


def attachment_add(*, referral, upload, actor, organisation, now=None):
    """Store one upload with the referral (the caller holds the transaction)."""
    kind, data, name = _checked(upload)
    attachment = Attachment(
        referral=referral,
        name=name,
        content_type=kind.content_type,
        size=len(data),
        organisation=organisation,
        uploaded_by=actor,
        created_at=now or timezone.now(),
    )
    attachment.file.save(name, ContentFile(data), save=False)
    attachment.save()
    audit_log(
        actor=actor,
        action="referrals.attachment.added",
        obj=referral,
        organisation=organisation,
        data={"attachment": attachment.pk, "type": kind.content_type, "size": len(data)},
    )
    return attachment


def attachment_copy(*, source, referral, actor, organisation):
    """A copy for the new referral: each referral's files go with its own anonymisation."""
    with source.file.open("rb") as handle:
        data = handle.read()
    attachment = Attachment(
        referral=referral,
        name=source.name,
        content_type=source.content_type,
        size=len(data),
        organisation=organisation,
        uploaded_by=actor,
        created_at=timezone.now(),
    )
    attachment.file.save(source.name, ContentFile(data), save=False)
    attachment.save()
    audit_log(
        actor=actor,
        action="referrals.attachment.added",
        obj=referral,
        organisation=organisation,
        data={"attachment": attachment.pk, "copied_from": source.pk},
    )
    return attachment


@transaction.atomic
def attachment_download(*, actor, organisation, referral_id, attachment_id):
    """The attachment, for a member of the sender or the receiver (404 otherwise), audited."""
    attachment = attachment_get(
        organisation=organisation, referral_id=referral_id, attachment_id=attachment_id
    )
    audit_log(
        actor=actor,
        action="referrals.attachment.downloaded",
        obj=attachment.referral,
        organisation=organisation,
        data={"attachment": attachment.pk},
    )
    return attachment


def attachments_delete(referral):
    """Erase the files from storage and their rows (anonymisation)."""
    count = 0
    for attachment in list(referral.attachments.all()):
        attachment.file.storage.delete(attachment.file.name)
        attachment.delete()
        count += 1
    return count
