"""Writes of routing: publishing a rule set (from data/ or the editor), counting decisions."""

import atexit
import logging
import threading
import time
from collections import Counter
from datetime import date

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F

from maillage.core.audit import audit_log
from maillage.core.errors import Conflict, DomainError
from maillage.partners.models import Organisation
from maillage.routing import engine, ruleset
from maillage.routing.enums import RevisionSource
from maillage.routing.models import (
    DecisionCount,
    DecisionLog,
    Rule,
    RuleList,
    RuleSetRevision,
)

logger = logging.getLogger(__name__)


def snapshot_from_tables():
    """The working copy (Rule and RuleList rows) as a snapshot dict."""
    rules = [r.as_snapshot() for r in Rule.objects.select_related("target")]
    lists = [item.as_snapshot() for item in RuleList.objects.all()]
    return ruleset.normalise({"rules": rules, "lists": lists})


def known_targets():
    return set(Organisation.objects.values_list("slug", flat=True))


def _diff(before, after):
    """Per rule and per list: what it was and what it became (None = absent)."""
    changes = []
    for part, key in (("lists", "key"), ("rules", "id")):
        old = {item[key]: item for item in before.get(part, [])}
        new = {item[key]: item for item in after.get(part, [])}
        for ident in sorted(set(old) | set(new)):
            if old.get(ident) != new.get(ident):
                changes.append(
                    {
                        "kind": "list" if part == "lists" else "rule",
                        "id": ident,
                        "before": old.get(ident),
                        "after": new.get(ident),
                    }
                )
    return changes


def _sync_tables(snapshot):
    """Make the Rule and RuleList rows equal `snapshot`; return (created, updated, deleted)."""
    created = updated = 0
    targets = {o.slug: o for o in Organisation.objects.filter(slug__in=_targets(snapshot))}
    wanted_lists = {item["key"]: item for item in snapshot["lists"]}
    for obj in RuleList.objects.all():
        if obj.key not in wanted_lists:
            obj.delete()
    existing = {obj.key: obj for obj in RuleList.objects.all()}
    for key, item in wanted_lists.items():
        values = {
            "kind": item["kind"],
            "label": item["label"],
            "items": item["items"],
            "valid_from": ruleset.as_date(item.get("valid_from")),
            "valid_until": ruleset.as_date(item.get("valid_until")),
        }
        obj = existing.get(key)
        if obj is None:
            RuleList.objects.create(key=key, **values)
            created += 1
        elif obj.as_snapshot() != item:
            RuleList.objects.filter(pk=obj.pk).update(**values)
            updated += 1
    wanted_rules = {rule["id"]: rule for rule in snapshot["rules"]}
    deleted, _ = Rule.objects.exclude(rule_id__in=wanted_rules).delete()
    existing = {obj.rule_id: obj for obj in Rule.objects.select_related("target")}
    for ident, rule in wanted_rules.items():
        values = {
            "order": rule["order"],
            "kind": rule["kind"],
            "target": targets[rule["target"]],
            "valid_from": ruleset.as_date(rule["valid_from"]),
            "valid_until": ruleset.as_date(rule["valid_until"]),
            "conditions": rule["when"],
            "explanation": rule["explanation"],
        }
        obj = existing.get(ident)
        if obj is None:
            Rule.objects.create(rule_id=ident, **values)
            created += 1
        elif obj.as_snapshot() != rule:
            for name, value in values.items():
                setattr(obj, name, value)
            obj.save()
            updated += 1
    return created, updated, deleted


def _targets(snapshot):
    return {rule["target"] for rule in snapshot["rules"]}


def _refresh_engines():
    # This process at once; the others within ROUTING_RULES_CHECK_SECONDS (they see a new token).
    engine.invalidate()
    transaction.on_commit(engine.invalidate)


@transaction.atomic
def ruleset_publish(*, actor, snapshot, source, comment="", base_revision=None):
    """Validate and publish a whole rule set; return the new revision (None if nothing changed).

    `base_revision` is the revision the editor started from: if someone published in between,
    refuse rather than silently overwrite their work.
    """
    snapshot = ruleset.normalise(snapshot)
    try:
        ruleset.validate(snapshot, targets=known_targets())
    except ruleset.RuleSetInvalid as exc:
        raise DomainError(
            "Règles refusées : " + " ; ".join(f"{w} : {m}" for w, m in exc.errors),
            code="invalid_rules",
        ) from exc
    latest = RuleSetRevision.objects.select_for_update().order_by("-id").first()
    if base_revision is not None and latest is not None and latest.pk != base_revision:
        raise Conflict(
            "Les règles ont été publiées par quelqu'un d'autre pendant votre modification : "
            "rechargez la page, vérifiez leurs changements puis recommencez.",
            code="stale_revision",
        )
    before = latest.snapshot if latest else snapshot_from_tables()
    changes = _diff(before, snapshot)
    if latest is not None and not changes:
        return None
    _sync_tables(snapshot)
    revision = RuleSetRevision.objects.create(
        author=actor if getattr(actor, "is_authenticated", False) else None,
        source=source,
        comment=comment[:300],
        snapshot=snapshot,
        changes=changes,
    )
    audit_log(
        actor=actor,
        action="routing.ruleset.published",
        obj=revision,
        data={"source": source, "comment": comment, "changes": changes},
    )
    _refresh_engines()
    return revision


@transaction.atomic
def ruleset_revert(*, actor, revision, base_revision):
    """Go back to `revision`: a NEW revision with its snapshot; the history is never rewritten.

    Returns the new revision, or None when the rules in force already are those of `revision`.
    """
    restored = ruleset_publish(
        actor=actor,
        snapshot=revision.snapshot,
        source=RevisionSource.EDITOR,
        comment=f"Retour à la révision n° {revision.pk}",
        base_revision=base_revision,
    )
    if restored is not None:
        audit_log(
            actor=actor,
            action="routing.ruleset.reverted",
            obj=restored,
            data={"to_revision": revision.pk, "new_revision": restored.pk},
        )
    return restored


def _replace(items, key, ident, new_item):
    result = [item for item in items if item[key] != ident]
    if new_item is not None:
        result.append(new_item)
    return result


def rule_save(*, actor, rule, original_id=None, base_revision, comment=""):
    """Publish the current rule set with one rule added, changed (or renamed from original_id)."""
    current = _published_or_tables()
    rules = _replace(current["rules"], "id", original_id or rule["id"], None)
    if original_id is None and any(r["id"] == rule["id"] for r in current["rules"]):
        raise DomainError(f"La règle {rule['id']} existe déjà.", code="duplicate", field="id")
    rules = _replace(rules, "id", rule["id"], rule)
    return ruleset_publish(
        actor=actor,
        snapshot={"rules": rules, "lists": current["lists"]},
        source=RevisionSource.EDITOR,
        comment=comment or f"Règle {rule['id']} modifiée",
        base_revision=base_revision,
    )


def rulelist_save(*, actor, item, base_revision, comment=""):
    """Publish the current rule set with one reference list replaced."""
    current = _published_or_tables()
    lists = _replace(current["lists"], "key", item["key"], item)
    return ruleset_publish(
        actor=actor,
        snapshot={"rules": current["rules"], "lists": lists},
        source=RevisionSource.EDITOR,
        comment=comment or f"Liste {item['key']} modifiée",
        base_revision=base_revision,
    )


def _published_or_tables():
    latest = RuleSetRevision.objects.order_by("-id").first()
    return ruleset.normalise(latest.snapshot) if latest else snapshot_from_tables()


# Decisions waiting in this process for their batch INSERT: (day, primary, rule, channel).
_pending = []
_pending_lock = threading.Lock()
_pending_since = [time.monotonic()]
FLUSH_BATCH = 500


def decision_count_add(*, decision, channel, day=None):
    """Count one decision anonymously: no profile, only the day, operator, rule and channel.

    No shared counter row is touched in the request (an `UPDATE … count = count + 1` of the
    day's row serialised every request). The decision waits in this process and is written
    with the others in one INSERT into the append-only log every
    `MAILLAGE_DECISION_FLUSH_SECONDS` (or every 500 decisions, and when the process exits);
    0 writes it at once. The worker folds the log into `DecisionCount`
    (`decision_counts_fold`); readers add the rows not folded yet."""
    row = (day or engine.today(), decision.primary, decision.rule, channel)
    seconds = settings.MAILLAGE_DECISION_FLUSH_SECONDS
    if not seconds:
        decision_log_flush([row])
        return
    with _pending_lock:
        _pending.append(row)
        due = len(_pending) >= FLUSH_BATCH or time.monotonic() - _pending_since[0] >= seconds
        if due:
            rows = _pending[:]
            _pending.clear()
            _pending_since[0] = time.monotonic()
    if due:
        decision_log_flush(rows)


def decision_log_flush(rows=None):
    """Write decisions to the log in one INSERT (default: those waiting in this process)."""
    if rows is None:
        with _pending_lock:
            rows = _pending[:]
            _pending.clear()
    if rows:
        DecisionLog.objects.bulk_create(
            [DecisionLog(day=d, primary=p, rule=r, channel=c) for d, p, r, c in rows]
        )
    return len(rows)


def _flush_at_exit():
    try:
        decision_log_flush()
    except Exception:  # the database may be gone at shutdown: nothing more can be done
        logger.warning("décisions d'aiguillage non écrites à l'arrêt", exc_info=True)


atexit.register(_flush_at_exit)


@transaction.atomic
def decision_counts_fold():
    """Fold the logged decisions into the daily counts (the worker's periodic task).

    The rows are deleted as they are read (`DELETE … RETURNING`), so two workers folding at
    once never count a row twice. Returns the number of decisions folded."""
    table = connection.ops.quote_name(DecisionLog._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f'DELETE FROM {table} RETURNING "day", "primary", "rule", "channel"')
        tally = Counter(
            (day if isinstance(day, date) else date.fromisoformat(day), primary, rule, channel)
            for day, primary, rule, channel in cursor.fetchall()
        )
    for (day, primary, rule, channel), count in tally.items():
        lookup = {"day": day, "primary": primary, "rule": rule, "channel": channel}
        if DecisionCount.objects.filter(**lookup).update(count=F("count") + count):
            continue
        try:
            with transaction.atomic():
                DecisionCount.objects.create(count=count, **lookup)
        except IntegrityError:
            # Another fold created the row first: add to it.
            DecisionCount.objects.filter(**lookup).update(count=F("count") + count)
    return sum(tally.values())
