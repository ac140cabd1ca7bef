"""Load the routing rules and their reference lists from data/routing/ (idempotent).

The files are the source of truth for a deployment: loading them publishes a revision (so the
history shows it) only when something differs from what is published.
"""

from maillage.core.reference import Counter
from maillage.routing import ruleset
from maillage.routing.enums import RevisionSource


def load(data_dir):
    from maillage.routing import services
    from maillage.routing.models import Rule, RuleList

    snapshot = ruleset.read_files(data_dir)
    before_rules = {r.rule_id: r.as_snapshot() for r in Rule.objects.select_related("target")}
    before_lists = {item.key: item.as_snapshot() for item in RuleList.objects.all()}
    services.ruleset_publish(
        actor=None,
        snapshot=snapshot,
        source=RevisionSource.REFERENCE,
        comment="Chargement de data/routing/",
    )
    counter = Counter()
    for rule in snapshot["rules"]:
        old = before_rules.get(rule["id"])
        counter.add(
            "rules", "created" if old is None else "unchanged" if old == rule else "updated"
        )
    for item in snapshot["lists"]:
        old = before_lists.get(item["key"])
        counter.add(
            "lists", "created" if old is None else "unchanged" if old == item else "updated"
        )
    return counter.result()
