"""Loading reference data: each area's loader reads its files from DATA_DIR, idempotently."""

from importlib import import_module

from django.conf import settings
from django.db import transaction


def reference_load_all(*, stdout=None):
    """Run every loader of MAILLAGE_REFERENCE_LOADERS in one transaction; return their counts."""
    report = {}
    with transaction.atomic():
        for dotted in settings.MAILLAGE_REFERENCE_LOADERS:
            module = import_module(dotted)
            report[dotted.rsplit(".", 2)[-2]] = module.load(settings.DATA_DIR)
    if stdout is not None:
        for area, counts in report.items():
            for name, (created, updated, unchanged) in counts.items():
                stdout.write(
                    f"{area}.{name}: {created} créé(s), {updated} mis à jour, "
                    f"{unchanged} inchangé(s)"
                )
    return report


def upsert(model, lookup, values):
    """Create or update one row; return 'created', 'updated' or 'unchanged'."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        model.objects.create(**lookup, **values)
        return "created"
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if not changed:
        return "unchanged"
    for name in changed:
        setattr(obj, name, values[name])
    # An `auto_now` date of last change is only written when it is named.
    stamps = [f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]
    obj.save(update_fields=changed + stamps)
    return "updated"


class Counter:
    """Counts upsert outcomes per kind of row, as (created, updated, unchanged)."""

    def __init__(self):
        self.counts = {}

    def add(self, name, outcome):
        created, updated, unchanged = self.counts.get(name, (0, 0, 0))
        self.counts[name] = (
            created + (outcome == "created"),
            updated + (outcome == "updated"),
            unchanged + (outcome == "unchanged"),
        )

    def result(self):
        return self.counts
