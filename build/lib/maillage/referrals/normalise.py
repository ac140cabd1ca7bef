"""Normalised keys of a person: search column and duplicate detection, the same everywhere."""

import re
import unicodedata
from datetime import date

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text):
    """Lower case, no accents, single spaces: « Éloïse  d'Aubigné » → « eloise d aubigne »."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return _NON_ALNUM.sub(" ", text).strip()


def search_name(first_name, last_name):
    """What the inbox search matches: the last name first, so a prefix search finds it."""
    return f"{fold(last_name)} {fold(first_name)}".strip()


def identity_key(first_name, last_name, birth_date):
    """Name + birth date; empty without a birth date (a name alone says too little)."""
    if not birth_date:
        return ""
    names = " ".join(sorted([fold(first_name), fold(last_name)]))
    return f"{names}|{birth_date.isoformat()}"


def email_key(email):
    return (email or "").strip().lower()


AGE_BANDS = [(0, 25, "-26"), (26, 34, "26-34"), (35, 44, "35-44"), (45, 54, "45-54")]


def age_band(*, age=None, birth_date=None, on=None):
    """A coarse age band kept after anonymisation ("" when unknown)."""
    if age is None and birth_date is not None:
        on = on or date.today()
        age = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    if age is None:
        return ""
    for low, high, label in AGE_BANDS:
        if low <= age <= high:
            return label
    return "55+"
