"""What the library accepts as a file: an allow-list of types, checked on name AND content.

Files are written and read only through Django's storage API (`FileField.save`, `.open`), so
where they live is a setting: the filesystem (MEDIA_ROOT) by default; an S3-compatible object
store by installing django-storages and setting
`STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {...}}`.
They are never served from MEDIA_URL: the download view streams them as attachments.
"""

import hashlib
import re
import unicodedata

from django.conf import settings

from maillage.core.errors import DomainError

_ZIP = (b"PK\x03\x04",)
# extension → (content type served, accepted leading bytes; None = UTF-8 text without NUL)
ALLOWED_TYPES = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", _ZIP),
    "odt": ("application/vnd.oasis.opendocument.text", _ZIP),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", _ZIP),
    "odp": ("application/vnd.oasis.opendocument.presentation", _ZIP),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "txt": ("text/plain; charset=utf-8", None),
    "csv": ("text/csv; charset=utf-8", None),
}
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def max_upload_bytes():
    return int(getattr(settings, "MAILLAGE_LIBRARY_MAX_UPLOAD_BYTES", DEFAULT_MAX_BYTES))


def allowed_extensions_label():
    return ", ".join(sorted({ext.upper() for ext in ALLOWED_TYPES if ext != "jpeg"}))


def safe_filename(name):
    """An ASCII file name without path parts, safe in a storage key and a header."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_name).strip(".-")
    return ascii_name[:150] or "fichier"


def check_upload(uploaded):
    """Validate an uploaded file; return (content type, size, sha256). Raise DomainError."""
    name = uploaded.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED_TYPES:
        raise DomainError(
            f"Ce type de fichier n'est pas accepté. Types acceptés : {allowed_extensions_label()}.",
            code="file_type",
            field="file",
        )
    limit = max_upload_bytes()
    if uploaded.size > limit:
        raise DomainError(
            f"Le fichier dépasse la taille maximale de {limit // (1024 * 1024)} Mo.",
            code="file_size",
            field="file",
        )
    if uploaded.size == 0:
        raise DomainError("Le fichier est vide.", code="file_empty", field="file")
    content_type, signatures = ALLOWED_TYPES[extension]
    digest = hashlib.sha256()
    head = b""
    text_ok = True
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        if len(head) < 16:
            head += chunk[:16]
        digest.update(chunk)
        if signatures is None and b"\x00" in chunk:
            text_ok = False
    uploaded.seek(0)
    if signatures is None:
        if text_ok:
            try:
                uploaded.read().decode("utf-8")
            except UnicodeDecodeError:
                text_ok = False
            uploaded.seek(0)
        valid = text_ok
    else:
        valid = any(head.startswith(signature) for signature in signatures)
    if not valid:
        raise DomainError(
            f"Le contenu du fichier ne correspond pas à son extension « .{extension} ».",
            code="file_content",
            field="file",
        )
    return content_type, uploaded.size, digest.hexdigest()
