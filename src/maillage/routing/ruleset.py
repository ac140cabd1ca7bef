"""A rule set as plain data (rules + lists), its validation and its French description.

The same dict shape comes from data/routing/*.yaml, from the database and from a proposed file
(`rules simulate --rules`), so one validator and one compiler serve all three.
"""

from datetime import date, timedelta

import yaml

from maillage.core.french import date_fr
from maillage.routing.profile import FIELD_LABELS, STATUSES

KINDS = {
    "primary": "Règle",
    "exclusive": "Règle exclusive (sans alternative)",
    "fallback": "Règle par défaut",
    "alternative": "Alternative seulement",
}
LIST_KINDS = {
    "department": "Départements",
    "employer_group": "Employeurs",
    "idcc": "Conventions collectives (IDCC)",
}
STRING_FIELDS = ("department", "status", "employer_group", "idcc")
BOOL_FIELDS = ("disability", "cadre", "temp_worker")
OPS_BY_FIELD = {
    **{f: ("in", "not_in", "in_list", "not_in_list") for f in STRING_FIELDS},
    "age": ("between",),
    **{f: ("is",) for f in BOOL_FIELDS},
}
LIST_KIND_OF_FIELD = {
    "department": "department",
    "employer_group": "employer_group",
    "idcc": "idcc",
}


# In an explanation, replaced by the target's name on the date of the decision: a renamed
# operator (Pôle emploi → France Travail on 1 January 2024) needs no edit of the rules.
OPERATOR_PLACEHOLDER = "{opérateur}"


def explain(text, name):
    """The explanation of a rule with the operator's name of the decision's date."""
    return text.replace(OPERATOR_PLACEHOLDER, name) if OPERATOR_PLACEHOLDER in text else text


class RuleSetInvalid(Exception):
    """The rule set cannot be used; `errors` is a list of (where, message) in French."""

    def __init__(self, errors):
        super().__init__("; ".join(f"{where} : {message}" for where, message in errors))
        self.errors = errors


def as_date(value):
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def read_files(data_dir):
    """The rule set of data/routing/ as a snapshot dict."""
    folder = data_dir / "routing"
    rules = yaml.safe_load((folder / "rules.yaml").read_text(encoding="utf-8")) or []
    lists = yaml.safe_load((folder / "lists.yaml").read_text(encoding="utf-8")) or []
    return normalise({"rules": rules, "lists": lists})


def parse_text(text):
    """A YAML or JSON text (a list of rules, or {rules, lists}) as a partial snapshot dict."""
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RuleSetInvalid(
            [("fichier", f"YAML ou JSON illisible ({exc.__class__.__name__}).")]
        ) from None
    if isinstance(loaded, list):
        return {"rules": loaded}
    if isinstance(loaded, dict) and ("rules" in loaded or "lists" in loaded):
        return loaded
    raise RuleSetInvalid(
        [("fichier", "attendu : une liste de règles ou {rules: […], lists: […]}.")]
    )


def normalise(snapshot):
    """Dates as ISO strings, defaults filled, rules sorted: a canonical, JSON-able snapshot."""
    rules = []
    for raw in snapshot.get("rules", []):
        if not isinstance(raw, dict):
            raise RuleSetInvalid([("règles", "chaque règle doit être un objet (id, order, …).")])
        valid_from, valid_until = raw.get("valid_from"), raw.get("valid_until")
        try:
            valid_from, valid_until = as_date(valid_from), as_date(valid_until)
        except (TypeError, ValueError):
            raise RuleSetInvalid(
                [(f"règle {raw.get('id')}", "date invalide (AAAA-MM-JJ).")]
            ) from None
        rules.append(
            {
                "id": str(raw.get("id", "")).strip(),
                "order": raw.get("order"),
                "kind": raw.get("kind") or "primary",
                "target": str(raw.get("target", "")).strip(),
                "valid_from": valid_from.isoformat() if valid_from else None,
                "valid_until": valid_until.isoformat() if valid_until else None,
                "when": raw.get("when") or [],
                "explanation": " ".join(str(raw.get("explanation", "")).split()),
            }
        )
    rules.sort(key=lambda r: (r["order"] if isinstance(r["order"], int) else 10**9, r["id"]))
    lists = []
    for raw in snapshot.get("lists", []):
        items = [
            {"value": str(item.get("value", "")).strip(), "label": str(item.get("label", ""))}
            for item in raw.get("items", [])
            if isinstance(item, dict)
        ]
        item = {
            "key": str(raw.get("key", "")).strip(),
            "kind": raw.get("kind", ""),
            "label": str(raw.get("label", "")),
            "items": items,
        }
        # Dates only when given: undated lists keep the shape older revisions have.
        for bound in ("valid_from", "valid_until"):
            try:
                day = as_date(raw.get(bound))
            except (TypeError, ValueError):
                raise RuleSetInvalid(
                    [(f"liste {item['key'] or '?'}", "date invalide (AAAA-MM-JJ).")]
                ) from None
            if day:
                item[bound] = day.isoformat()
        lists.append(item)
    lists.sort(key=lambda item: item["key"])
    return {"rules": rules, "lists": lists}


def validate(snapshot, *, targets=None):
    """Raise RuleSetInvalid with every problem found; `targets` = known operator slugs."""
    errors = []
    lists = {}
    for item in snapshot["lists"]:
        where = f"liste {item['key'] or '?'}"
        if not item["key"]:
            errors.append((where, "clé manquante."))
        elif item["key"] in lists:
            errors.append((where, "clé en double."))
        if item["kind"] not in LIST_KINDS:
            errors.append((where, f"type inconnu « {item['kind']} » ({', '.join(LIST_KINDS)})."))
        values = [i["value"] for i in item["items"]]
        if any(not v for v in values):
            errors.append((where, "une valeur est vide."))
        if len(set(values)) != len(values):
            errors.append((where, "une valeur figure deux fois."))
        if (
            item.get("valid_from")
            and item.get("valid_until")
            and (item["valid_until"] < item["valid_from"])
        ):
            errors.append((where, "la date de fin précède la date de début."))
        if item["kind"] == "idcc" and any(not v.isdigit() or v != str(int(v)) for v in values if v):
            errors.append((where, "un IDCC s'écrit en chiffres, sans zéro initial (ex. 29)."))
        lists[item["key"]] = item
    seen = set()
    for rule in snapshot["rules"]:
        where = f"règle {rule['id'] or '?'}"
        if not rule["id"]:
            errors.append((where, "identifiant manquant."))
        elif rule["id"] in seen:
            errors.append((where, "identifiant en double."))
        seen.add(rule["id"])
        if not isinstance(rule["order"], int) or isinstance(rule["order"], bool):
            errors.append((where, "l'ordre doit être un nombre entier."))
        if rule["kind"] not in KINDS:
            errors.append((where, f"type inconnu « {rule['kind']} » ({', '.join(KINDS)})."))
        if not rule["target"]:
            errors.append((where, "opérateur cible manquant."))
        elif targets is not None and rule["target"] not in targets:
            errors.append((where, f"opérateur cible inconnu « {rule['target']} »."))
        if rule["valid_from"] and rule["valid_until"] and rule["valid_until"] < rule["valid_from"]:
            errors.append((where, "la date de fin précède la date de début."))
        if not rule["explanation"]:
            errors.append((where, "l'explication en français est obligatoire."))
        elif "{" in rule["explanation"].replace(OPERATOR_PLACEHOLDER, ""):
            errors.append(
                (
                    where,
                    f"seul {OPERATOR_PLACEHOLDER} peut figurer entre accolades dans l'explication.",
                )
            )
        if rule["kind"] == "fallback" and rule["when"]:
            errors.append((where, "une règle par défaut ne porte pas de condition."))
        if not isinstance(rule["when"], list):
            errors.append((where, "« when » doit être une liste de conditions."))
        else:
            for index, condition in enumerate(rule["when"], start=1):
                errors.extend(_check_condition(condition, lists, f"{where}, condition {index}"))
    errors.extend(_check_fallback_coverage(snapshot["rules"]))
    if errors:
        raise RuleSetInvalid(errors)
    return snapshot


def _check_condition(condition, lists, where):
    if not isinstance(condition, dict):
        return [(where, "une condition est un objet {field, op, value} ou {any: […]}.")]
    if "any" in condition:
        items = condition["any"]
        if set(condition) != {"any"} or not isinstance(items, list) or len(items) < 2:
            return [(where, "« any » attend une liste d'au moins deux conditions.")]
        errors = []
        for index, item in enumerate(items, start=1):
            errors.extend(_check_condition(item, lists, f"{where}.{index}"))
        return errors
    field, op, value = condition.get("field"), condition.get("op"), condition.get("value")
    if set(condition) - {"field", "op", "value"}:
        return [(where, "clés possibles : field, op, value (ou any).")]
    if field not in OPS_BY_FIELD:
        return [(where, f"champ inconnu « {field} » ({', '.join(OPS_BY_FIELD)}).")]
    if op not in OPS_BY_FIELD[field]:
        allowed = ", ".join(OPS_BY_FIELD[field])
        return [(where, f"opérateur « {op} » impossible sur {field} ({allowed}).")]
    if op == "is" and not isinstance(value, bool):
        return [(where, "« is » attend true ou false.")]
    if op == "between":
        if not isinstance(value, list) or len(value) != 2:
            return [(where, "« between » attend [minimum, maximum].")]
        if any(v is not None and (isinstance(v, bool) or not isinstance(v, int)) for v in value):
            return [(where, "les bornes d'âge sont des entiers (ou null).")]
        if value == [None, None]:
            return [(where, "au moins une borne d'âge est nécessaire.")]
    if op in ("in", "not_in"):
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            return [(where, f"« {op} » attend une liste non vide de valeurs.")]
        if field == "status" and set(value) - set(STATUSES):
            return [
                (where, f"situation inconnue ({', '.join(sorted(set(value) - set(STATUSES)))}).")
            ]
    if op in ("in_list", "not_in_list"):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value:
            return [(where, f"« {op} » attend une ou plusieurs clés de liste.")]
        for key in value:
            if key not in lists:
                return [(where, f"liste inconnue « {key} ».")]
            if lists[key]["kind"] != LIST_KIND_OF_FIELD[field]:
                return [(where, f"la liste « {key} » ne contient pas de valeurs de {field}.")]
    return []


def _check_fallback_coverage(rules):
    """Every date must have a fallback rule in force, so every profile gets a primary."""
    fallbacks = [r for r in rules if r["kind"] == "fallback"]
    if not fallbacks:
        return [("règles", "il faut une règle par défaut (kind: fallback).")]
    points = {date(1900, 1, 1)}
    for rule in rules:
        if rule["valid_from"]:
            points.add(as_date(rule["valid_from"]))
        if rule["valid_until"]:
            end = as_date(rule["valid_until"])
            if end < date.max:
                points.add(end + timedelta(days=1))
    uncovered = [p for p in sorted(points) if not any(in_force(r, p) for r in fallbacks)]
    if uncovered:
        return [("règles", f"aucune règle par défaut en vigueur le {date_fr(uncovered[0])}.")]
    return []


def in_force(rule, day):
    """A rule or a list in force on `day` (an ISO string or a date)."""
    day = day.isoformat() if isinstance(day, date) else day
    valid_from, valid_until = rule.get("valid_from"), rule.get("valid_until")
    return (not valid_from or valid_from <= day) and (not valid_until or day <= valid_until)


def list_values(snapshot, keys, on=None):
    """The values of the lists `keys`; with `on`, only of those in force on that day."""
    if isinstance(keys, str):
        keys = [keys]
    wanted = set(keys)
    return {
        i["value"]
        for item in snapshot["lists"]
        if item["key"] in wanted and (on is None or in_force(item, on))
        for i in item["items"]
    }


def lists_on(snapshot, day):
    """The snapshot as the rules see it on `day`: a list out of its dates has no values."""
    if not any(item.get("valid_from") or item.get("valid_until") for item in snapshot["lists"]):
        return snapshot
    lists = [item if in_force(item, day) else {**item, "items": []} for item in snapshot["lists"]]
    return {**snapshot, "lists": lists}


def describe_condition(condition, snapshot):
    """One condition in plain French, for the rule pages."""
    if "any" in condition:
        return "(" + " ou ".join(describe_condition(c, snapshot) for c in condition["any"]) + ")"
    field, op, value = condition["field"], condition["op"], condition["value"]
    label = FIELD_LABELS.get(field, field)
    if op == "is":
        return f"{label} : {'oui' if value else 'non'}"
    if op == "between":
        low, high = value
        if low is None:
            return f"{label} ≤ {high} ans"
        if high is None:
            return f"{label} ≥ {low} ans"
        return f"{label} de {low} à {high} ans"
    if op in ("in", "not_in"):
        shown = [value_label(field, v, snapshot) for v in value]
        verb = "parmi" if op == "in" else "hors de"
        return f"{label} {verb} : {', '.join(shown)}"
    keys = [value] if isinstance(value, str) else value
    lists = {item["key"]: item for item in snapshot["lists"]}
    verb = "dans" if op == "in_list" else "hors de"
    return f"{label} {verb} : {', '.join(list_label(lists.get(k), k) for k in keys)}"


def list_dates(item):
    """« du 1er janvier 2020 au … », « jusqu'au … », or "" for an undated list."""
    start, end = as_date(item.get("valid_from")), as_date(item.get("valid_until"))
    if start and end:
        return f"du {date_fr(start)} au {date_fr(end)}"
    if start:
        return f"depuis le {date_fr(start)}"
    if end:
        return f"jusqu'au {date_fr(end)}"
    return ""


def list_label(item, key):
    if item is None:
        return key
    dates = list_dates(item)
    return f"{item['label']} ({dates})" if dates else item["label"]


def value_label(field, value, snapshot):
    """A value as a person reads it: « Paris (75) », « SNCF », « Demandeur d'emploi »."""
    if field == "status":
        return STATUSES.get(value, value)
    kind = LIST_KIND_OF_FIELD.get(field)
    for item in snapshot["lists"]:
        if item["kind"] == kind:
            for entry in item["items"]:
                if entry["value"] == value and entry["label"]:
                    if field == "employer_group":
                        return entry["label"]
                    return f"{entry['label']} ({value})"
    return value


def describe_rule(rule, snapshot):
    if not rule["when"]:
        return "aucune autre règle ne s'applique" if rule["kind"] == "fallback" else "toujours"
    return " et ".join(describe_condition(c, snapshot) for c in rule["when"])
