"""The routing profile: the few answers a person gives, validated with French messages."""

import re
from dataclasses import asdict, dataclass

from maillage.core.errors import DomainError

STATUSES = {
    "employed_private": "Salarié(e) du secteur privé",
    "employed_public": "Agent du secteur public",
    "self_employed": "Travailleur indépendant",
    "job_seeker": "Demandeur d'emploi",
    "other": "Autre situation",
}
FIELDS = (
    "department",
    "status",
    "age",
    "disability",
    "cadre",
    "temp_worker",
    "employer_group",
    "idcc",
)
FIELD_LABELS = {
    "department": "département",
    "status": "situation",
    "age": "âge",
    "disability": "handicap reconnu",
    "cadre": "cadre",
    "temp_worker": "intérim",
    "employer_group": "employeur",
    "idcc": "convention collective (IDCC)",
}
# Metropolitan codes, Corsica and overseas: anything else is a typo, not "outside the region".
DEPARTMENT_RE = re.compile(r"^(0[1-9]|[1-8][0-9]|9[0-5]|2A|2B|97[1-6])$")
EMPLOYER_GROUP_RE = re.compile(r"^[a-z0-9_]{1,50}$")
IDCC_RE = re.compile(r"^[0-9]{1,4}$")
AGE_MIN, AGE_MAX = 0, 120


class ProfileError(DomainError):
    """Bad routing input; `field` names the first bad field, `errors` lists all of them."""

    def __init__(self, field, message, *, errors=None):
        super().__init__(message, code="invalid_profile", field=field)
        self.errors = errors or [(field, message)]


@dataclass(frozen=True, slots=True)
class Profile:
    department: str
    status: str
    age: int | None = None
    disability: bool = False
    cadre: bool = False
    temp_worker: bool = False
    employer_group: str | None = None
    idcc: str | None = None

    @classmethod
    def from_dict(cls, data, *, employer_groups):
        """Validate JSON-like input (types as JSON gives them); raise ProfileError.

        `employer_groups`: the keys of the employer groups the rules know (the compiled rule
        set's `employer_groups`): parsing needs no database, the caller knows the rule set.
        """
        if not isinstance(data, dict):
            raise ProfileError("__all__", "Le profil doit être un objet JSON (clé : valeur).")
        errors = []
        values = {}
        for key in data:
            if key not in FIELDS:
                errors.append(
                    (str(key), f"Champ inconnu « {key} » : champs possibles : {', '.join(FIELDS)}.")
                )
        for name in FIELDS:
            try:
                if name == "employer_group":
                    values[name] = _employer_group(data.get(name), employer_groups)
                else:
                    values[name] = _CLEANERS[name](data.get(name))
            except ValueError as exc:
                errors.append((name, f"{FIELD_LABELS[name].capitalize()} ({name}) : {exc}"))
        if errors:
            field, message = errors[0]
            raise ProfileError(field, message, errors=errors)
        return cls(**values)

    @classmethod
    def from_query(cls, query, *, employer_groups):
        """Validate form or query-string input (every value a string); raise ProfileError."""
        data = {}
        for name in FIELDS:
            raw = query.get(name)
            if raw is None or str(raw).strip() == "":
                continue
            raw = str(raw).strip()
            if name == "age":
                data[name] = int(raw) if re.fullmatch(r"-?[0-9]{1,4}", raw) else raw
            elif name in ("disability", "cadre", "temp_worker"):
                data[name] = _query_bool(raw)
            else:
                data[name] = raw
        return cls.from_dict(data, employer_groups=employer_groups)

    def as_dict(self):
        return asdict(self)

    def as_query(self):
        """The answers as query-string pairs (the shareable link), defaults left out."""
        pairs = {"department": self.department, "status": self.status}
        if self.age is not None:
            pairs["age"] = str(self.age)
        for flag in ("disability", "cadre", "temp_worker"):
            if getattr(self, flag):
                pairs[flag] = "oui"
        if self.employer_group:
            pairs["employer_group"] = self.employer_group
        if self.idcc:
            pairs["idcc"] = self.idcc
        return pairs


def _query_bool(raw):
    lowered = raw.lower()
    if lowered in ("oui", "true", "1", "on", "yes"):
        return True
    if lowered in ("non", "false", "0", "off", "no"):
        return False
    return raw  # from_dict reports it


def _department(value):
    if not isinstance(value, str) or not value.strip():
        raise ValueError("obligatoire, un code de département comme « 75 » ou « 2A ».")
    code = value.strip().upper()
    if not DEPARTMENT_RE.match(code):
        raise ValueError(f"« {value} » n'est pas un code de département français.")
    return code


def _status(value):
    if value is None or value == "":
        raise ValueError(f"obligatoire, une valeur parmi : {', '.join(STATUSES)}.")
    if not isinstance(value, str) or value not in STATUSES:
        raise ValueError(f"« {value} » n'est pas une situation connue ({', '.join(STATUSES)}).")
    return value


def _age(value):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("doit être un nombre entier d'années.")
    if not AGE_MIN <= value <= AGE_MAX:
        raise ValueError(f"doit être compris entre {AGE_MIN} et {AGE_MAX} ans.")
    return value


def _flag(value):
    if value is None:
        return False
    if not isinstance(value, bool):
        raise ValueError("doit valoir true ou false.")
    return value


def _employer_group(value, known):
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not EMPLOYER_GROUP_RE.match(value):
        raise ValueError("doit être une clé d'employeur comme « sncf » ou « credit_agricole ».")
    if value not in known:
        raise ValueError(f"« {value} » n'est pas un employeur connu ({', '.join(sorted(known))}).")
    return value


def _idcc(value):
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not IDCC_RE.match(value.strip()):
        raise ValueError("doit être un numéro de 1 à 4 chiffres, par exemple « 1486 ».")
    # "0029" and "29" are the same agreement.
    return str(int(value.strip()))


_CLEANERS = {
    "department": _department,
    "status": _status,
    "age": _age,
    "disability": _flag,
    "cadre": _flag,
    "temp_worker": _flag,
    "idcc": _idcc,
}
