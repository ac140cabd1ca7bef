"""OpenStreetMap `opening_hours` in French words, for the simple forms the directory uses."""

import re

DAYS = {"Mo": "lundi", "Tu": "mardi", "We": "mercredi", "Th": "jeudi", "Fr": "vendredi"}
DAYS |= {"Sa": "samedi", "Su": "dimanche"}


def _time(value):
    hours, minutes = value.split(":")
    return f"{int(hours)} h {minutes}" if minutes != "00" else f"{int(hours)} h"


def _days(spec):
    parts = []
    for part in spec.split(","):
        if "-" in part:
            first, last = part.split("-")
            parts.append(f"du {DAYS[first]} au {DAYS[last]}")
        else:
            parts.append(f"le {DAYS[part]}")
    return ", ".join(parts)


def opening_hours_fr(value):
    """« Mo-Fr 09:00-12:30,14:00-17:30; PH off » → « du lundi au vendredi, 9 h – 12 h 30 et
    14 h – 17 h 30 ; fermé les jours fériés ». Other forms are returned as they are."""
    if not value:
        return ""
    words = []
    for rule in [r.strip() for r in value.split(";") if r.strip()]:
        if rule == "PH off":
            words.append("fermé les jours fériés")
            continue
        match = re.fullmatch(
            r"((?:Mo|Tu|We|Th|Fr|Sa|Su)(?:[-,](?:Mo|Tu|We|Th|Fr|Sa|Su))*) "
            r"((?:\d\d:\d\d-\d\d:\d\d)(?:,\d\d:\d\d-\d\d:\d\d)*)",
            rule,
        )
        if not match:
            return value
        spans = [" – ".join(_time(t) for t in span.split("-")) for span in match[2].split(",")]
        words.append(f"{_days(match[1])}, {' et '.join(spans)}")
    return " ; ".join(words)
