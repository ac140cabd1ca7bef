"""Writes of the indicators area: the roll-ups (rebuilt from referrals, idempotently)."""

from maillage.indicators.services.rollups import rollups_rebuild, rollups_rebuild_recent

__all__ = ["rollups_rebuild", "rollups_rebuild_recent"]
