"""Files of the directory for download: data·inclusion and HSDS 3 as JSON, and a manifest.

Built by the worker (`partners.tasks.directory_export`) into the configured storage
(`STORAGES["default"]`: the shared folder MAILLAGE_MEDIA_ROOT, or S3), never on the disk of
the machine that builds them: any app server serves what any worker wrote. Each build has a
folder of its own, `annuaire/<moment>/`, its manifest written last; the current files are those
of the latest folder whose manifest reads whole, so that a download never sees half a build,
whatever the storage (a storage cannot rename atomically). The previous build is kept (a
download may still be reading it), older ones are removed. Public data only.
"""

import contextlib
import json
import os

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Max
from django.utils import timezone

from maillage.partners import datainclusion, hsds
from maillage.partners.models import Organisation, ServiceOffer, Site

FILES = {
    "data-inclusion-structures.json": ("data·inclusion — structures", datainclusion.structures_all),
    "data-inclusion-services.json": ("data·inclusion — services", datainclusion.services_all),
    "hsds-organizations.json": ("HSDS 3 — organizations", hsds.organizations_all),
    "hsds-services.json": ("HSDS 3 — services", hsds.services_all),
    "hsds-locations.json": ("HSDS 3 — locations", hsds.locations_all),
    "hsds-service_at_locations.json": (
        "HSDS 3 — service_at_locations",
        hsds.service_at_locations_all,
    ),
}
MANIFEST = "manifest.json"
FOLDER = "annuaire"
BUILDS_KEPT = 2


def _builds():
    """The build folders in the storage, newest first (their names sort by time)."""
    try:
        folders, _files = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return []
    return sorted(folders, reverse=True)


def _current():
    """(folder, manifest) of the latest complete build, or (None, None)."""
    for build in _builds():
        try:
            with default_storage.open(f"{FOLDER}/{build}/{MANIFEST}") as handle:
                return build, json.loads(handle.read().decode("utf-8"))
        except (FileNotFoundError, ValueError):
            continue  # being written, or interrupted: the one before
    return None, None


def _write(name, data):
    text = json.dumps(data, ensure_ascii=False, indent=1, cls=DjangoJSONEncoder)
    saved = default_storage.save(name, ContentFile(text.encode("utf-8")))
    if saved != name:  # the storage renamed it: the folder is not this build's alone
        raise RuntimeError(f"le stockage a renommé {name} en {saved}")


def last_change():
    stamps = [
        model.objects.aggregate(last=Max("updated_at"))["last"]
        for model in (Organisation, Site, ServiceOffer)
    ]
    return max((s for s in stamps if s), default=None)


def manifest_read():
    return _current()[1]


def file_open(name):
    """The current build's file `name` (a file object from the storage), or None."""
    build, _manifest = _current()
    if build is None or (name not in FILES and name != MANIFEST):
        return None
    try:
        return default_storage.open(f"{FOLDER}/{build}/{name}")
    except FileNotFoundError:
        return None


def directory_files_build(*, force=False):
    """Write every file unless they already hold the directory's last change; counts only."""
    changed = last_change()
    manifest = manifest_read()
    if (
        not force
        and manifest
        and manifest.get("last_change") == (changed.isoformat() if changed else None)
        # At least once a day (the nightly build), even when nothing changed.
        and manifest.get("built_at", "")[:10] == timezone.now().date().isoformat()
    ):
        return {"written": 0}
    now = timezone.now()
    folder = f"{FOLDER}/{now.strftime('%Y%m%dT%H%M%S%fZ')}"
    files = []
    for name, (title, build) in FILES.items():
        records = build()
        _write(f"{folder}/{name}", records)
        files.append({"name": name, "title": title, "records": len(records)})
    _write(
        f"{folder}/{MANIFEST}",
        {
            "built_at": now.isoformat(),
            "last_change": changed.isoformat() if changed else None,
            "licence": datainclusion.LICENCE,
            "licence_url": datainclusion.LICENCE_URL,
            "files": files,
        },
    )
    for old in _builds()[BUILDS_KEPT:]:
        _remove(f"{FOLDER}/{old}")
    return {"written": len(files), "folder": folder}


def _remove(folder):
    _folders, names = default_storage.listdir(folder)
    for name in names:
        default_storage.delete(f"{folder}/{name}")
    # On a folder storage the emptied folder stays behind (object storages have none).
    with contextlib.suppress(NotImplementedError, OSError):
        os.rmdir(default_storage.path(folder))
