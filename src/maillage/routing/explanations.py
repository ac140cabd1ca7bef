"""Does a rule's explanation still say what its conditions do? Ages, departments, situations, years.

The explanation is what the person reads ("Vous avez entre 16 et 25 ans…"); the conditions are
what decides. When a coordinator changes one without the other, the page warns before publishing.
The check reads the figures and words the explanation names and compares them with the
conditions; it never guesses beyond them (an explanation that names nothing is not a mismatch).
"""

import re
import unicodedata

from maillage.core.french import date_fr
from maillage.routing import ruleset
from maillage.routing.profile import STATUSES

# "entre 16 et 25 ans", "de 16 à 25 ans", "16-25 ans"
_AGE_RANGE = re.compile(r"\b(?:entre\s+)?(?:de\s+)?(\d{1,3})\s*(?:et|à|-|–)\s*(\d{1,3})\s*ans\b")
_AGE_UNDER = re.compile(r"\bmoins\s+de\s+(\d{1,3})\s*ans\b")
_AGE_OVER = re.compile(r"\b(?:plus\s+de\s+(\d{1,3})\s*ans|(\d{1,3})\s*ans\s+(?:et|ou)\s+plus)\b")
_YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")
_DEPARTMENT_CODE = re.compile(r"\((\d{2}|2[ab]|97\d)\)")
# Words that name a situation in an explanation (folded: lower case, no accents).
STATUS_WORDS = {
    "employed_private": ("salarie du prive", "salaries du prive", "salarie du secteur prive"),
    "employed_public": ("agent du secteur public", "agents du secteur public", "agent public"),
    "self_employed": ("independant",),
    "job_seeker": ("demandeur d'emploi", "demandeurs d'emploi", "recherche d'emploi"),
}


def fold(text):
    text = unicodedata.normalize("NFKD", text.replace("’", "'").lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\(e\)|\(s\)", "", text)


def _atoms(when):
    for condition in when:
        if "any" in condition:
            yield from _atoms(condition["any"])
        else:
            yield condition


def _age_words(low, high):
    if low is not None and high is not None:
        return f"de {low} à {high} ans"
    if low is None:
        return f"jusqu'à {high} ans"
    return f"à partir de {low} ans"


def _age_mismatches(text, atoms):
    said = []  # (quote, low, high) as the explanation says them
    for match in _AGE_RANGE.finditer(text):
        said.append((match.group(0), int(match.group(1)), int(match.group(2))))
    for match in _AGE_UNDER.finditer(text):
        said.append((match.group(0), None, int(match.group(1)) - 1))
    for match in _AGE_OVER.finditer(text):
        number = int(match.group(1) or match.group(2))
        said.append((match.group(0), number + 1 if match.group(1) else number, None))
    if not said:
        return []
    ages = [c["value"] for c in atoms if c["field"] == "age" and c["op"] == "between"]
    if not ages:
        quote = said[0][0]
        return [
            f"L'explication parle d'âge (« {quote} ») mais la règle n'a pas de condition d'âge."
        ]
    low, high = ages[0]
    warnings = []
    for quote, said_low, said_high in said:
        if (said_low, said_high) != (low, high) and not (
            (said_low is None and said_high == high) or (said_high is None and said_low == low)
        ):
            warnings.append(
                f"L'explication dit « {quote} » mais la condition porte sur les âges "
                f"{_age_words(low, high)}."
            )
    return warnings


def _department_mismatches(text, folded, atoms, snapshot, department_names):
    said = {code.upper() for code in _DEPARTMENT_CODE.findall(folded)}
    for code, name in department_names.items():
        if re.search(rf"\b{re.escape(fold(name))}\b", folded):
            said.add(code)
    if not said:
        return []
    warnings = []
    for condition in atoms:
        if condition["field"] != "department":
            continue
        op, value = condition["op"], condition["value"]
        values = set(value) if op in ("in", "not_in") else ruleset.list_values(snapshot, value)
        inside = op in ("in", "in_list")
        for code in sorted(said):
            if (code in values) != inside:
                name = department_names.get(code, code)
                verb = "ne fait pas partie" if inside else "est exclu"
                warnings.append(
                    f"L'explication nomme {name} ({code}), qui {verb} des départements de la "
                    "condition."
                )
    return warnings


def _status_mismatches(folded, atoms):
    said = {
        status for status, words in STATUS_WORDS.items() if any(word in folded for word in words)
    }
    if not said:
        return []
    warnings = []
    for condition in atoms:
        if condition["field"] != "status":
            continue
        values = set(condition["value"])
        inside = condition["op"] == "in"
        for status in sorted(said):
            if (status in values) != inside:
                warnings.append(
                    f"L'explication parle de « {STATUSES[status]} », situation que la condition "
                    f"{'ne retient pas' if inside else 'exclut'}."
                )
    return warnings


def _year_mismatches(text, rule):
    years = {int(y) for y in _YEAR.findall(text)}
    if not years:
        return []
    bounds = {}
    for name in ("valid_from", "valid_until"):
        day = ruleset.as_date(rule.get(name))
        if day:
            bounds[name] = day
    dated = {day.year for day in bounds.values()}
    if "valid_until" in bounds:
        dated.add(bounds["valid_until"].year + 1)  # "jusqu'au 1er janvier 2020" style
    stray = sorted(years - dated)
    if not stray:
        return []
    if not bounds:
        return [f"L'explication cite l'année {stray[0]} mais la règle n'a pas de dates de vigueur."]
    period = " ".join(
        f"{'du' if name == 'valid_from' else 'jusqu’au'} {date_fr(day)}"
        for name, day in bounds.items()
    )
    return [f"L'explication cite l'année {stray[0]} mais la règle est en vigueur {period}."]


def mismatches(rule, snapshot, *, department_names=None):
    """French warnings, one per contradiction between `rule`'s explanation and its conditions."""
    text = rule.get("explanation") or ""
    folded = fold(text)
    atoms = [c for c in _atoms(rule.get("when") or []) if isinstance(c, dict) and "field" in c]
    names = department_names
    if names is None:
        names = {
            i["value"]: i["label"]
            for item in snapshot["lists"]
            if item["kind"] == "department"
            for i in item["items"]
        }
    return [
        *_age_mismatches(folded, atoms),
        *_department_mismatches(text, folded, atoms, snapshot, names),
        *_status_mismatches(folded, atoms),
        *_year_mismatches(text, rule),
    ]
