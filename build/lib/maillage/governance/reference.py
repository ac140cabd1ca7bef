"""Load the committees of each convention from data/conventions.yaml (idempotent)."""

import yaml

from maillage.core.reference import Counter, upsert
from maillage.governance.models import Committee
from maillage.partners.models import Convention


def load(data_dir):
    counter = Counter()
    conventions = yaml.safe_load((data_dir / "conventions.yaml").read_text(encoding="utf-8"))
    for item in conventions:
        convention = Convention.objects.get(slug=item["slug"])
        for committee in item.get("committees", []):
            counter.add(
                "committees",
                upsert(
                    Committee,
                    {"slug": committee["slug"]},
                    {
                        "name": committee["name"],
                        "code": committee["code"],
                        "kind": committee["kind"],
                        "convention": convention,
                        "mission": committee.get("mission", "").strip(),
                    },
                ),
            )
    return counter.result()
