"""A directory import between its preview and its application: the uploaded file is kept in
the configured storage (`STORAGES["default"]`, shared by every app server), not on the disk of
the server that showed the preview, since « Appliquer » may reach another one. Kept a day."""

import contextlib
import json
import uuid
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

FOLDER = "imports-annuaire"
KEPT = timedelta(days=1)


def _name(token):
    return f"{FOLDER}/{uuid.UUID(str(token))}.json"


def import_file_keep(*, content, filename):
    """Keep an uploaded file for its application; returns its token."""
    _expired_remove()
    token = uuid.uuid4()
    envelope = {"filename": filename[:200], "content": content.decode("latin-1")}
    default_storage.save(_name(token), ContentFile(json.dumps(envelope).encode()))
    return token


def import_file_read(token):
    """(content, filename) of a kept file, or None once applied or expired."""
    try:
        with default_storage.open(_name(token)) as handle:
            envelope = json.loads(handle.read())
    except (FileNotFoundError, ValueError):
        return None
    return envelope["content"].encode("latin-1"), envelope["filename"]


def import_file_drop(token):
    with contextlib.suppress(FileNotFoundError):
        default_storage.delete(_name(token))


def _expired_remove():
    limit = timezone.now() - KEPT
    try:
        _folders, names = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return
    for name in names:
        with contextlib.suppress(FileNotFoundError, NotImplementedError):
            if default_storage.get_modified_time(f"{FOLDER}/{name}") < limit:
                default_storage.delete(f"{FOLDER}/{name}")
