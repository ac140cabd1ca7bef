"""Demo data of this area, added by `maillage demo` (idempotent)."""


def build(*, stdout=None):
    return None
