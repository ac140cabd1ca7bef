"""The decision engine: dated rules compiled into Python predicates, answers memoised in memory.

Why it is fast: each profile field is reduced to the class of values the rules can tell apart
(e.g. every age from 26 to 120 behaves the same), so a decision is a few dict lookups and one
cached, immutable Decision. Why it stays fresh: every process checks the published revision token
at most every ROUTING_RULES_CHECK_SECONDS and recompiles when it changed.
"""

import threading
import time
from bisect import bisect_right
from datetime import date, datetime, timedelta
from operator import attrgetter

from django.conf import settings
from django.utils import timezone

from maillage.routing import ruleset
from maillage.routing.profile import Profile


class RoutingUnavailable(Exception):
    """No fallback rule in force: the rule set is broken (validation should prevent it)."""


class Decision:
    """An immutable routing answer, shared between identical cases (hence no list stored)."""

    __slots__ = ("_alternatives", "explanation", "primary", "rule")

    def __init__(self, primary, alternatives, rule, explanation):
        self.primary = primary
        self._alternatives = tuple(alternatives)
        self.rule = rule
        self.explanation = explanation

    @property
    def alternatives(self):
        return list(self._alternatives)

    def as_dict(self):
        return {
            "primary": self.primary,
            "alternatives": list(self._alternatives),
            "rule": self.rule,
            "explanation": self.explanation,
        }

    def __eq__(self, other):
        return isinstance(other, Decision) and self.as_dict() == other.as_dict()

    def __hash__(self):
        return hash((self.primary, self._alternatives, self.rule))

    def __repr__(self):
        return f"Decision({self.as_dict()!r})"


def _compile_atom(condition, snapshot):
    if "any" in condition:
        parts = [_compile_atom(c, snapshot) for c in condition["any"]]
        return lambda p: any(part(p) for part in parts)
    field, op, value = condition["field"], condition["op"], condition["value"]
    get = attrgetter(field)
    if op == "is":
        return lambda p: get(p) is value
    if op == "between":
        low = -1 if value[0] is None else value[0]
        high = 10**6 if value[1] is None else value[1]
        return lambda p: (age := get(p)) is not None and low <= age <= high
    values = frozenset(value if op in ("in", "not_in") else ruleset.list_values(snapshot, value))
    if op in ("in", "in_list"):
        return lambda p: get(p) in values
    return lambda p: get(p) not in values


def _compile_rule(rule, snapshot):
    atoms = [_compile_atom(c, snapshot) for c in rule["when"]]
    if not atoms:
        return lambda p: True
    if len(atoms) == 1:
        return atoms[0]
    return lambda p: all(atom(p) for atom in atoms)


class CompiledRule:
    __slots__ = ("explanation", "id", "kind", "matches", "order", "source", "target")

    def __init__(self, rule, snapshot):
        self.id = rule["id"]
        self.order = rule["order"]
        self.kind = rule["kind"]
        self.target = rule["target"]
        self.explanation = rule["explanation"]
        self.matches = _compile_rule(rule, snapshot)
        self.source = rule


class CompiledRuleSet:
    """One published rule set, ready to answer; `token` identifies the revision it came from."""

    def __init__(self, snapshot, token=None):
        self.snapshot = snapshot
        self.token = token
        self.rules = [CompiledRule(rule, snapshot) for rule in snapshot["rules"]]
        bounds = set()
        for rule in snapshot["rules"]:
            if rule["valid_from"]:
                bounds.add(ruleset.as_date(rule["valid_from"]))
            if rule["valid_until"] and ruleset.as_date(rule["valid_until"]) < date.max:
                bounds.add(ruleset.as_date(rule["valid_until"]) + timedelta(days=1))
        self.bounds = sorted(bounds)
        self.periods = []
        for index in range(len(self.bounds) + 1):
            day = self.bounds[index - 1] if index else date(1900, 1, 1)
            self.periods.append([r for r in self.rules if ruleset.in_force(r.source, day)])
        self._build_classes()
        self.employer_groups = {
            i["value"]: i["label"]
            for item in snapshot["lists"]
            if item["kind"] == "employer_group"
            for i in item["items"]
        }
        self.cache = {}

    def _build_classes(self):
        """Per field, map each value the rules mention to the class of values it behaves like."""
        sets = {field: [] for field in ruleset.STRING_FIELDS}
        cuts = set()

        def walk(condition):
            if "any" in condition:
                for item in condition["any"]:
                    walk(item)
                return
            field, op, value = condition["field"], condition["op"], condition["value"]
            if op in ("in", "not_in"):
                sets[field].append(frozenset(value))
            elif op in ("in_list", "not_in_list"):
                sets[field].append(frozenset(ruleset.list_values(self.snapshot, value)))
            elif op == "between":
                if value[0] is not None:
                    cuts.add(value[0])
                if value[1] is not None:
                    cuts.add(value[1] + 1)

        for rule in self.snapshot["rules"]:
            for condition in rule["when"]:
                walk(condition)
        maps = {}
        for field, field_sets in sets.items():
            signatures = {}
            mapping = {}
            for value in sorted(set().union(*field_sets)) if field_sets else []:
                signature = tuple(value in s for s in field_sets)
                mapping[value] = signatures.setdefault(signature, len(signatures) + 1)
            maps[field] = mapping
        self._department = maps["department"].get
        self._status = maps["status"].get
        self._group = maps["employer_group"].get
        self._idcc = maps["idcc"].get
        self.age_cuts = sorted(cuts)

    def period_index(self, on):
        return bisect_right(self.bounds, on)

    def decide(self, profile, on):
        period = bisect_right(self.bounds, on)
        age = profile.age
        key = (
            period,
            self._department(profile.department, 0),
            self._status(profile.status, 0),
            -1 if age is None else bisect_right(self.age_cuts, age),
            profile.disability,
            profile.cadre,
            profile.temp_worker,
            self._group(profile.employer_group, 0),
            self._idcc(profile.idcc, 0),
        )
        decision = self.cache.get(key)
        if decision is None:
            decision = self.cache[key] = self.evaluate(profile, period)
        return decision

    def evaluate(self, profile, period):
        """The decision straight from the predicates, as CEP.md defines it (no cache)."""
        rules = self.periods[period]
        chosen = None
        for rule in rules:
            if rule.kind in ("primary", "exclusive") and rule.matches(profile):
                chosen = rule
                break
        if chosen is None:
            chosen = next((r for r in rules if r.kind == "fallback"), None)
            if chosen is None:
                raise RoutingUnavailable("Aucune règle par défaut n'est en vigueur à cette date.")
        alternatives = []
        if chosen.kind != "exclusive":
            for rule in rules:
                if rule is chosen or rule.kind in ("fallback", "exclusive"):
                    continue
                target = rule.target
                if target != chosen.target and target not in alternatives and rule.matches(profile):
                    alternatives.append(target)
        return Decision(chosen.target, alternatives, chosen.id, chosen.explanation)

    def matching(self, profile, period):
        """Ids of the rules in force whose conditions hold (for `rules check`)."""
        return [rule.id for rule in self.periods[period] if rule.matches(profile)]


# Seconds between two checks of the published revision: how fast an edit reaches every process.
CHECK_SECONDS = getattr(settings, "ROUTING_RULES_CHECK_SECONDS", 2)
_lock = threading.Lock()
_current = None
_checked_at = 0.0


def _published_token():
    from maillage.routing.models import RuleSetRevision

    row = RuleSetRevision.objects.order_by("-id").values_list("id", "token").first()
    return None if row is None else f"{row[0]}:{row[1]}"


def _load(token):
    from maillage.routing.models import RuleSetRevision

    if token is None:
        # Nothing published yet (fresh database): answer from the reference files.
        return CompiledRuleSet(ruleset.validate(ruleset.read_files(settings.DATA_DIR)), None)
    revision = RuleSetRevision.objects.order_by("-id").only("snapshot").first()
    return CompiledRuleSet(revision.snapshot, token)


def current():
    """The compiled rule set in force in this process, refreshed when a new one is published."""
    global _current, _checked_at
    compiled = _current
    now = time.monotonic()
    if compiled is not None and now - _checked_at < CHECK_SECONDS:
        return compiled
    with _lock:
        token = _published_token()
        if _current is None or _current.token != token:
            _current = _load(token)
        _checked_at = now
        return _current


def invalidate():
    """Forget the compiled rules of this process (after a publication, or between tests)."""
    global _current, _checked_at
    with _lock:
        _current = None
        _checked_at = 0.0


def today():
    return timezone.localdate()


def decide(profile, on=None):
    """Primary operator, alternatives, rule id and explanation for `profile` on date `on`."""
    if type(profile) is not Profile:
        profile = Profile.from_dict(profile)
    if on is None:
        on = timezone.localdate()
    elif type(on) is not date:
        if isinstance(on, datetime):
            on = timezone.localdate(on) if timezone.is_aware(on) else on.date()
        elif not isinstance(on, date):
            raise TypeError("on: une date est attendue")
    compiled = _current
    # Inline freshness check: this is the hot path, one function call less matters here.
    if compiled is None or time.monotonic() - _checked_at >= CHECK_SECONDS:
        compiled = current()
    return compiled.decide(profile, on)


def known_employer_groups():
    return current().employer_groups
