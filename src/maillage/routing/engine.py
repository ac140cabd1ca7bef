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
from django.db.models import Count, Max
from django.utils import timezone

from maillage.partners import selectors as partner_selectors
from maillage.partners.models import Organisation, OrganisationName
from maillage.routing import ruleset
from maillage.routing.models import RuleSetRevision
from maillage.routing.profile import Profile


class RoutingUnavailable(Exception):
    """No fallback rule in force: the rule set is broken (validation should prevent it)."""


class Decision:
    """An immutable routing answer, shared between identical cases (hence no list stored)."""

    __slots__ = ("_alternatives", "explanation", "primary", "primary_name", "rule")

    def __init__(self, primary, alternatives, rule, explanation, primary_name=None):
        self.primary = primary
        self._alternatives = tuple(alternatives)
        self.rule = rule
        self.explanation = explanation
        # The operator's name on the decision's date (dated names of partners), else the slug.
        self.primary_name = primary_name or primary

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
    """One published rule set, ready to answer; `token` identifies the revision it came from.

    `names` = {slug: [(valid_from, valid_until, name)]}, the operators' dated names: a rename
    starts a new period, so that a decision names the operator as it was called on its date.
    """

    def __init__(self, snapshot, token=None, names=None, current_names=None):
        self.snapshot = snapshot
        self.token = token
        self.names = names or {}
        self.current_names = current_names or {}
        self.rules = [CompiledRule(rule, snapshot) for rule in snapshot["rules"]]
        bounds = set()
        spans = [(rule["valid_from"], rule["valid_until"]) for rule in snapshot["rules"]]
        targets = {rule["target"] for rule in snapshot["rules"]}
        spans += [(f, u) for slug in targets for f, u, _name in self.names.get(slug, ())]
        spans += [(i.get("valid_from"), i.get("valid_until")) for i in snapshot["lists"]]
        for valid_from, valid_until in spans:
            if valid_from:
                bounds.add(ruleset.as_date(valid_from))
            if valid_until and ruleset.as_date(valid_until) < date.max:
                bounds.add(ruleset.as_date(valid_until) + timedelta(days=1))
        self.bounds = sorted(bounds)
        self.periods = []
        self.period_starts = []
        for index in range(len(self.bounds) + 1):
            day = self.bounds[index - 1] if index else date(1900, 1, 1)
            self.period_starts.append(day)
            seen = ruleset.lists_on(snapshot, day)
            self.periods.append(
                [
                    rule if seen is snapshot else CompiledRule(rule.source, seen)
                    for rule in self.rules
                    if ruleset.in_force(rule.source, day)
                ]
            )
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

    def name_on(self, slug, day):
        """The operator's name on `day`: its dated name, else its slug."""
        for valid_from, valid_until, name in self.names.get(slug, ()):
            if (valid_from is None or ruleset.as_date(valid_from) <= day) and (
                valid_until is None or day <= ruleset.as_date(valid_until)
            ):
                return name
        return self.current_names.get(slug, slug)

    def rules_of_period(self, period):
        """The compiled rules in force in period number `period` (see `period_index`)."""
        return self.periods[period]

    def classifier(self, field_name):
        """value → the class of values the rules cannot tell apart from it (for enumeration).

        Two values with the same class get the same decision whatever the other answers are:
        `analysis` answers one of them and counts the others.
        """
        getters = {
            "department": self._department,
            "status": self._status,
            "employer_group": self._group,
            "idcc": self._idcc,
        }
        if field_name in getters:
            get = getters[field_name]
            return lambda value: get(value, 0)
        if field_name == "age":
            cuts = self.age_cuts
            return lambda value: -1 if value is None else bisect_right(cuts, value)
        return lambda value: value

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
        name = self.name_on(chosen.target, self.period_starts[period])
        explanation = ruleset.explain(chosen.explanation, name)
        return Decision(chosen.target, alternatives, chosen.id, explanation, name)

    def matching(self, profile, period):
        """Ids of the rules in force whose conditions hold (for `rules check`)."""
        return [rule.id for rule in self.periods[period] if rule.matches(profile)]


# Seconds between two checks of the published revision: how fast an edit reaches every process.
CHECK_SECONDS = getattr(settings, "ROUTING_RULES_CHECK_SECONDS", 2)
_lock = threading.Lock()
_current = None
_checked_at = 0.0


def _published_token():
    """The published revision and the state of the dated names: a change of either recompiles."""
    row = RuleSetRevision.objects.order_by("-id").values_list("id", "token").first()
    names = OrganisationName.objects.aggregate(count=Count("id"), stamp=Max("updated_at"))
    names_key = f"{names['count']}@{names['stamp'].isoformat() if names['stamp'] else '-'}"
    return f"-:{names_key}" if row is None else f"{row[0]}:{row[1]}:{names_key}"


def _load(token):
    names = partner_selectors.organisation_names_dated()
    current_names = dict(Organisation.objects.values_list("slug", "name"))  # undated names
    if token.startswith("-:"):
        # Nothing published yet (fresh database): answer from the reference files.
        snapshot = ruleset.validate(ruleset.read_files(settings.DATA_DIR))
    else:
        snapshot = RuleSetRevision.objects.order_by("-id").only("snapshot").first().snapshot
    return CompiledRuleSet(snapshot, token, names=names, current_names=current_names)


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
        profile = Profile.from_dict(profile, employer_groups=_PUBLISHED_GROUPS)
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


class _PublishedGroups:
    """The employer groups of the rules in force, read only when a profile names one.

    A profile with bad answers is refused without touching the database (`maillage route`
    on a fresh machine says what is wrong with the JSON, not that a table is missing).
    """

    def __contains__(self, value):
        return value in current().employer_groups

    def __iter__(self):
        return iter(current().employer_groups)


_PUBLISHED_GROUPS = _PublishedGroups()
