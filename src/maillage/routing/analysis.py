"""Proof over the whole profile space: coverage check of a rule set, and what-if simulation."""

import itertools
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string

from maillage.routing import ruleset
from maillage.routing.engine import CompiledRuleSet
from maillage.routing.profile import DEPARTMENT_RE, STATUSES, Profile, ProfileError

FLAGS = (False, True)


def _values(compiled, field_name):
    """Every value of a string field the rules mention (lists included), sorted."""
    found = set()

    def walk(condition):
        if "any" in condition:
            for item in condition["any"]:
                walk(item)
        elif condition["field"] == field_name:
            if condition["op"] in ("in", "not_in"):
                found.update(condition["value"])
            elif condition["op"] in ("in_list", "not_in_list"):
                found.update(ruleset.list_values(compiled.snapshot, condition["value"]))

    for rule in compiled.snapshot["rules"]:
        for condition in rule["when"]:
            walk(condition)
    kinds = {"department": "department", "employer_group": "employer_group", "idcc": "idcc"}
    for item in compiled.snapshot["lists"]:
        if item["kind"] == kinds.get(field_name):
            found.update(i["value"] for i in item["items"])
    return sorted(found)


def _first_unlisted(candidates, listed):
    return next(c for c in candidates if c not in listed)


def profile_space(*compiled_sets):
    """The enumerated profiles: each listed department and one outside, each status, ages at every
    boundary, each flag, each employer group (and none), each listed IDCC, an unlisted one, none.
    """
    departments, groups, idccs, cuts = set(), set(), set(), set()
    for compiled in compiled_sets:
        departments.update(v for v in _values(compiled, "department") if DEPARTMENT_RE.match(v))
        groups.update(_values(compiled, "employer_group"))
        idccs.update(_values(compiled, "idcc"))
        cuts.update(compiled.age_cuts)
    outside = _first_unlisted(["01", "13", "69", "33"], departments)
    unlisted_idcc = _first_unlisted(["1486", "16", "1979", "9999"], idccs)
    ages = {None}
    for cut in cuts:
        ages.update(a for a in (cut - 1, cut) if 0 <= a <= 120)
    return {
        "department": [*sorted(departments), outside],
        "status": list(STATUSES),
        "age": [None, *sorted(a for a in ages if a is not None)],
        "disability": FLAGS,
        "cadre": FLAGS,
        "temp_worker": FLAGS,
        "employer_group": [None, *sorted(groups)],
        "idcc": [None, *sorted(idccs, key=int), unlisted_idcc],
    }


def iter_profiles(space, *compiled_sets):
    """Yield (profile, weight) over the whole space.

    Values that every rule set treats alike are answered once with their count as weight: the
    result is the same as enumerating them one by one, a hundred times faster.
    """
    names = list(space)
    reduced = []
    for name in names:
        classify = [c.classifier(name) for c in compiled_sets]
        groups = {}
        for value in space[name]:
            key = tuple(f(value) for f in classify)
            if key in groups:
                groups[key][1] += 1
            else:
                groups[key] = [value, 1]
        reduced.append(list(groups.values()))
    for combination in itertools.product(*reduced):
        weight = 1
        for _value, count in combination:
            weight *= count
        yield Profile(**{n: v for n, (v, _c) in zip(names, combination, strict=False)}), weight


@dataclass
class CheckReport:
    day: object
    profiles: int = 0
    rules_in_force: list = field(default_factory=list)
    fallback_only: Counter = field(default_factory=Counter)
    fallback_examples: list = field(default_factory=list)
    fired: Counter = field(default_factory=Counter)
    shadowed: list = field(default_factory=list)  # (rule id, [rule ids deciding instead])
    unsatisfiable: list = field(default_factory=list)  # (rule id, French reason)

    @property
    def fallback_total(self):
        return sum(self.fallback_only.values())

    @property
    def ok(self):
        return not self.shadowed and not self.unsatisfiable


def check(compiled, day):
    """Run the coverage check of `compiled` on `day` over the whole profile space."""
    report = CheckReport(day=day)
    period = compiled.period_index(day)
    rules = compiled.rules_of_period(period)
    report.rules_in_force = [r.id for r in rules]
    space = profile_space(compiled)
    matched_any = Counter()
    deciders_of = {r.id: Counter() for r in rules}
    for profile, weight in iter_profiles(space, compiled):
        report.profiles += weight
        decision = compiled.decide(profile, day)
        report.fired[decision.rule] += weight
        for alternative in decision.alternatives:
            report.fired["alt:" + alternative] += weight
        decider = next(r for r in rules if r.id == decision.rule)
        if decider.kind == "fallback":
            report.fallback_only[profile.status] += weight
            # A handful of distinct examples, ignoring the fields that did not matter here.
            if (
                len(report.fallback_examples) < 12
                and profile.department == space["department"][0]
                and profile.employer_group is None
                and profile.idcc is None
            ):
                report.fallback_examples.append(profile)
        for rule in rules:
            if rule.kind != "fallback" and rule.matches(profile):
                matched_any[rule.id] += weight
                deciders_of[rule.id][decision.rule] += weight
    for rule in rules:
        if rule.kind == "fallback":
            continue
        reasons = _unsatisfiable_conditions(rule, space, ruleset.lists_on(compiled.snapshot, day))
        if reasons or not matched_any[rule.id]:
            report.unsatisfiable.append(
                (rule.id, "; ".join(reasons) or "aucun profil ne remplit toutes les conditions")
            )
            continue
        if rule.kind == "alternative":
            if not report.fired["alt:" + rule.target]:
                report.shadowed.append((rule.id, ["son opérateur est toujours déjà proposé"]))
        elif not report.fired[rule.id]:
            report.shadowed.append((rule.id, sorted(deciders_of[rule.id])))
    return report


def _atoms(conditions):
    for condition in conditions:
        if "any" in condition:
            yield from _atoms(condition["any"])
        else:
            yield condition


def _unsatisfiable_conditions(rule, space, snapshot):
    """Conditions that no value of their field satisfies, each with a French reason."""
    reasons = []
    base = {"department": "75", "status": "other"}
    for condition in _atoms(rule.source["when"]):
        name = condition["field"]
        single = CompiledRuleSet(
            {"rules": [{**rule.source, "when": [condition]}], "lists": snapshot["lists"]},
        ).rules[0]
        if not any(single.matches(Profile(**{**base, name: value})) for value in space[name]):
            reasons.append(ruleset.describe_condition(condition, snapshot))
    return reasons


def check_snapshot(snapshot, day):
    return check(CompiledRuleSet(snapshot), day)


@dataclass
class SimulationReport:
    day: object
    profiles: int = 0
    moves: Counter = field(default_factory=Counter)  # (from, to) -> count
    rule_changes: Counter = field(default_factory=Counter)  # (rule before, rule after) -> count
    stored_profiles: int = 0
    stored_moves: Counter = field(default_factory=Counter)
    stored_skipped: int = 0

    @property
    def moved(self):
        return sum(self.moves.values())


def simulate(current_snapshot, proposed_snapshot, day, *, stored=None):
    """Compare the decisions of two rule sets on `day` over the profile space (and `stored`)."""
    current, proposed = CompiledRuleSet(current_snapshot), CompiledRuleSet(proposed_snapshot)
    report = SimulationReport(day=day)
    space = profile_space(current, proposed)
    for profile, weight in iter_profiles(space, current, proposed):
        report.profiles += weight
        before, after = current.decide(profile, day), proposed.decide(profile, day)
        if before.primary != after.primary:
            report.moves[(before.primary, after.primary)] += weight
        if before.rule != after.rule:
            report.rule_changes[(before.rule, after.rule)] += weight
    known_groups = current.employer_groups.keys() | proposed.employer_groups.keys()
    for data in stored or ():
        if not data:
            continue  # a referral made without the routing step
        try:
            profile = (
                data
                if isinstance(data, Profile)
                else Profile.from_dict(data, employer_groups=known_groups)
            )
        except ProfileError:
            report.stored_skipped += 1
            continue
        report.stored_profiles += 1
        before, after = current.decide(profile, day), proposed.decide(profile, day)
        if before.primary != after.primary:
            report.stored_moves[(before.primary, after.primary)] += 1
    return report


def stored_referral_profiles():
    """Profiles kept with referrals, from the provider the settings name (None if none).

    Routing sits below referrals: it cannot import them. The referrals area offers its stored
    profiles through `settings.MAILLAGE_ROUTING_STORED_PROFILES` (a dotted path to a function
    returning an iterable of profile dicts), declared where the project is put together.
    """
    dotted = getattr(settings, "MAILLAGE_ROUTING_STORED_PROFILES", None)
    if not dotted:
        return None
    return import_string(dotted)()
