"""Demo data of routing: four weeks of anonymous decision counts for the indicators."""

import random
from datetime import timedelta

from maillage.routing import engine
from maillage.routing.models import DecisionCount

# (primary, rule, typical share of the day's public decisions)
_MIX = [
    ("operateur-regional-idf", "R7", 9),
    ("pole-emploi", "R5", 6),
    ("arml-idf", "R3", 4),
    ("cheops-idf", "R2", 2),
    ("apec", "R4", 2),
    ("employeur-public", "R1", 1),
    ("accueil-generaliste", "R8", 1),
    ("mon-cep", "R0", 1),
]


def build(*, stdout=None):
    if DecisionCount.objects.exists():
        return None
    rng = random.Random(2019)
    today = engine.today()
    rows = []
    for back in range(1, 29):
        day = today - timedelta(days=back)
        for primary, rule, share in _MIX:
            for channel, factor in (("public", 3), ("counsellor", 1)):
                rows.append(
                    DecisionCount(
                        day=day,
                        primary=primary,
                        rule=rule,
                        channel=channel,
                        count=share * factor + rng.randint(0, share),
                    )
                )
    DecisionCount.objects.bulk_create(rows)
    if stdout is not None:
        stdout.write(f"routing: {len(rows)} décomptes de décisions (démonstration)")
    return None
