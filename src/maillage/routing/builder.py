"""The rule builder: a rule's conditions as form fields, one block per profile field, and back.

Each profile field is one block (an operator and its values); a block marked « ou » joins the
one `any` group of the rule, the others must all hold. The order of the conditions and of their
values is kept from the rule being edited, so that an unchanged block publishes no change.
A rule the blocks cannot express (the same field twice, two `any` groups) is edited as YAML.
"""

import re

from django import forms

from maillage.core.forms import BoundedIntegerField
from maillage.routing.profile import AGE_MAX, AGE_MIN, FIELD_LABELS, STATUSES

LIST_FIELDS = ("department", "employer_group", "idcc")
FLAG_FIELDS = ("disability", "cadre", "temp_worker")
BLOCKS = ("department", "status", "age", *FLAG_FIELDS, "employer_group", "idcc")
BLOCK_TITLES = {
    "department": "Département de résidence",
    "status": "Situation",
    "age": "Âge",
    "disability": "Reconnaissance de handicap",
    "cadre": "Cadre",
    "temp_worker": "Intérim",
    "employer_group": "Employeur",
    "idcc": "Convention collective (IDCC)",
}
OPS = {
    "department": [
        ("", "Indifférent"),
        ("in", "Parmi les départements cochés"),
        ("not_in", "Hors des départements cochés"),
        ("in_list", "Dans une des listes cochées"),
        ("not_in_list", "Hors des listes cochées"),
    ],
    "status": [
        ("", "Indifférente"),
        ("in", "Parmi les situations cochées"),
        ("not_in", "Hors des situations cochées"),
    ],
    "employer_group": [
        ("", "Indifférent"),
        ("in", "Parmi les employeurs cochés"),
        ("not_in", "Hors des employeurs cochés"),
        ("in_list", "Dans une des listes cochées"),
        ("not_in_list", "Hors des listes cochées"),
    ],
    "idcc": [
        ("", "Indifférente"),
        ("in", "Parmi les numéros saisis"),
        ("not_in", "Hors des numéros saisis"),
        ("in_list", "Dans une des listes cochées"),
        ("not_in_list", "Hors des listes cochées"),
    ],
}
FLAG_CHOICES = [("", "Indifférent"), ("oui", "Oui"), ("non", "Non")]
ANY_LABEL = "« Ou » : cette condition ou une autre condition « ou » suffit"
_IDCC_SPLIT = re.compile(r"[\s,;]+")


class NotRepresentable(Exception):
    """The rule's conditions do not fit the blocks (edit them as YAML)."""


def _atoms_with_any(when):
    """[(condition, in_any)] and the index of the `any` group in `when` (or None)."""
    atoms, any_index = [], None
    for index, condition in enumerate(when):
        if isinstance(condition, dict) and "any" in condition:
            if any_index is not None:
                raise NotRepresentable("deux groupes « l'une ou l'autre »")
            any_index = index
            for item in condition["any"]:
                if not isinstance(item, dict) or "any" in item:
                    raise NotRepresentable("un groupe « ou » imbriqué")
                atoms.append((item, True))
        else:
            atoms.append((condition, False))
    return atoms, any_index


def initial_from_conditions(when):
    """The blocks' initial values for `when`; raise NotRepresentable."""
    initial = {}
    seen = set()
    atoms, _any_index = _atoms_with_any(when)
    for condition, in_any in atoms:
        field, op, value = condition.get("field"), condition.get("op"), condition.get("value")
        if field in seen:
            raise NotRepresentable(f"deux conditions sur {FIELD_LABELS.get(field, field)}")
        seen.add(field)
        initial[f"{field}_any"] = in_any
        if field == "age" and op == "between":
            initial["age_min"], initial["age_max"] = value
        elif field in FLAG_FIELDS and op == "is":
            initial[field] = "oui" if value else "non"
        elif field in OPS and op in dict(OPS[field]):
            initial[f"{field}_op"] = op
            values = [value] if isinstance(value, str) else list(value)
            if op in ("in_list", "not_in_list"):
                initial[f"{field}_lists"] = values
            elif field == "idcc":
                initial["idcc_values"] = ", ".join(values)
            else:
                initial[f"{field}_values"] = values
        else:
            raise NotRepresentable(f"opérateur « {op} » sur {field}")
    return initial


def _keep_order(selected, original):
    """`selected`, those already in `original` first and in its order."""
    kept = [v for v in original if v in selected]
    return kept + [v for v in selected if v not in kept]


def original_values(original_when):
    values = {}
    atoms, _ = _atoms_with_any(original_when or [])
    for condition, _in_any in atoms:
        value = condition.get("value")
        values[condition.get("field")] = [value] if isinstance(value, str) else value
    return values


def _positions(original_when):
    """field → (position in `when`, position in its `any` group); the `any` group's position."""
    positions, any_position = {}, None
    for index, condition in enumerate(original_when or []):
        if isinstance(condition, dict) and "any" in condition:
            any_position = index
            for inner, item in enumerate(condition["any"]):
                positions[item.get("field")] = (index, inner)
        elif isinstance(condition, dict):
            positions[condition.get("field")] = (index, 0)
    return positions, any_position


class ConditionsMixin:
    """Adds the condition blocks to a form; `conditions()` gives the rule's `when`."""

    def add_condition_fields(self, *, snapshot, departments):
        lists = {kind: [] for kind in LIST_FIELDS}
        groups = []
        for item in snapshot["lists"]:
            if item["kind"] in lists:
                lists[item["kind"]].append((item["key"], item["label"]))
            if item["kind"] == "employer_group":
                groups.extend((i["value"], i["label"] or i["value"]) for i in item["items"])
        value_choices = {
            "department": list(departments),
            "status": list(STATUSES.items()),
            "employer_group": sorted(set(groups), key=lambda pair: pair[1].lower()),
        }
        # A value the rule names but the choices lack stays visible (and checked).
        for field, choices in value_choices.items():
            known = {value for value, _label in choices}
            for value in self.initial.get(f"{field}_values", []):
                if value not in known:
                    choices.append((value, value))
        for field in BLOCKS:
            if field == "age":
                for bound, text in (("min", "Âge minimum"), ("max", "Âge maximum")):
                    self.fields[f"age_{bound}"] = BoundedIntegerField(
                        label=f"{text} (inclus, vide = sans limite)",
                        required=False,
                        min_value=AGE_MIN,
                        max_value=AGE_MAX,
                        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                    )
            elif field in FLAG_FIELDS:
                self.fields[field] = forms.ChoiceField(
                    label="Condition", choices=FLAG_CHOICES, required=False
                )
            else:
                self.fields[f"{field}_op"] = forms.ChoiceField(
                    label="Condition", choices=OPS[field], required=False
                )
                if field == "idcc":
                    self.fields["idcc_values"] = forms.CharField(
                        label="Numéros IDCC (séparés par des virgules)",
                        required=False,
                        max_length=500,
                        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                    )
                else:
                    self.fields[f"{field}_values"] = forms.MultipleChoiceField(
                        label="Valeurs",
                        choices=value_choices[field],
                        required=False,
                        widget=forms.CheckboxSelectMultiple,
                    )
                if field in LIST_FIELDS:
                    self.fields[f"{field}_lists"] = forms.MultipleChoiceField(
                        label="Listes de référence",
                        choices=lists[field],
                        required=False,
                        widget=forms.CheckboxSelectMultiple,
                    )
            self.fields[f"{field}_any"] = forms.BooleanField(
                label=ANY_LABEL, required=False, label_suffix=""
            )

    def condition_blocks(self):
        """For the template: one block per profile field, with its bound fields."""
        blocks = []
        for field in BLOCKS:
            names = [
                name
                for name in (
                    f"{field}_op",
                    field if field in FLAG_FIELDS else None,
                    "age_min" if field == "age" else None,
                    "age_max" if field == "age" else None,
                    f"{field}_values",
                    f"{field}_lists",
                    f"{field}_any",
                )
                if name and name in self.fields
            ]
            blocks.append(
                {"field": field, "title": BLOCK_TITLES[field], "fields": [self[n] for n in names]}
            )
        return blocks

    def _block_condition(self, field, data):
        """The condition of one block, None when « indifférent »; errors go on the form."""
        if field == "age":
            low, high = data.get("age_min"), data.get("age_max")
            if low is None and high is None:
                return None
            if low is not None and high is not None and low > high:
                self.add_error("age_max", "L'âge maximum est inférieur à l'âge minimum.")
                return None
            return {"field": "age", "op": "between", "value": [low, high]}
        if field in FLAG_FIELDS:
            choice = data.get(field)
            if not choice:
                return None
            return {"field": field, "op": "is", "value": choice == "oui"}
        op = data.get(f"{field}_op")
        if not op:
            return None
        original = self.original_values.get(field, [])
        if op in ("in_list", "not_in_list"):
            chosen = data.get(f"{field}_lists") or []
            if not chosen:
                self.add_error(f"{field}_lists", "Cochez au moins une liste.")
                return None
            return {"field": field, "op": op, "value": _keep_order(chosen, original)}
        if field == "idcc":
            raw = [v for v in _IDCC_SPLIT.split(data.get("idcc_values") or "") if v]
            if any(not v.isdigit() or len(v) > 4 for v in raw):
                self.add_error("idcc_values", "Un numéro IDCC a de 1 à 4 chiffres (ex. 1486).")
                return None
            chosen = list(dict.fromkeys(str(int(v)) for v in raw))
        else:
            chosen = data.get(f"{field}_values") or []
        if not chosen:
            self.add_error(f"{field}_values", "Cochez ou saisissez au moins une valeur.")
            return None
        return {"field": field, "op": op, "value": _keep_order(chosen, original)}

    def conditions(self):
        """The rule's `when` from the blocks (call after is_valid); None if a block is wrong."""
        data = self.cleaned_data
        positions, any_position = _positions(self.original_when)
        fallback = {field: 1000 + index for index, field in enumerate(BLOCKS)}
        plain, grouped = [], []
        for field in BLOCKS:
            condition = self._block_condition(field, data)
            if condition is None:
                continue
            position = positions.get(field, (fallback[field], fallback[field]))
            (grouped if data.get(f"{field}_any") else plain).append((position, condition))
        if self.errors:
            return None
        if len(grouped) == 1:
            ((_position, condition),) = grouped
            self.add_error(
                f"{condition['field']}_any",
                "Une condition « ou » demande au moins une autre condition « ou ».",
            )
            return None
        entries = [(position[0], condition) for position, condition in plain]
        if grouped:
            grouped.sort(
                key=lambda pair: (0, pair[0][1]) if pair[0][0] == any_position else (1, pair[0][0])
            )
            where = any_position if any_position is not None else min(p[0] for p, _c in grouped)
            entries.append((where, {"any": [condition for _p, condition in grouped]}))
        entries.sort(key=lambda pair: pair[0])
        return [condition for _position, condition in entries]
