"""Files of the directory for download: data·inclusion and HSDS 3 as JSON, and a manifest.

Built by the worker (`partners.tasks.directory_export`), written under MEDIA_ROOT/annuaire/ with
an atomic rename so that a download never sees half a file. Public data only.
"""

import json
import os
import tempfile
from pathlib import Path

from django.conf import settings
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


def export_dir():
    return Path(settings.MEDIA_ROOT) / "annuaire"


def _write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False, indent=1, cls=DjangoJSONEncoder)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def last_change():
    stamps = [
        model.objects.aggregate(last=Max("updated_at"))["last"]
        for model in (Organisation, Site, ServiceOffer)
    ]
    return max((s for s in stamps if s), default=None)


def manifest_read():
    path = export_dir() / MANIFEST
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


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
        and all((export_dir() / name).exists() for name in FILES)
    ):
        return {"written": 0}
    files = []
    for name, (title, build) in FILES.items():
        records = build()
        _write(export_dir() / name, records)
        files.append({"name": name, "title": title, "records": len(records)})
    _write(
        export_dir() / MANIFEST,
        {
            "built_at": timezone.now().isoformat(),
            "last_change": changed.isoformat() if changed else None,
            "licence": datainclusion.LICENCE,
            "licence_url": datainclusion.LICENCE_URL,
            "files": files,
        },
    )
    return {"written": len(files)}
