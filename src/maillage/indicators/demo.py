"""Demo data of this area, added by `maillage demo` (idempotent): the roll-ups of the demo.

Runs last among the demo builders, so the referrals the other areas created are counted.
"""

from maillage.indicators.services import rollups_rebuild


def build(*, stdout=None):
    rows = rollups_rebuild()
    if stdout is not None:
        stdout.write(f"Indicateurs : {rows} ligne(s) d'agrégats reconstruites.")
