"""Writes of cross-training, one module per subject (library, offers, sessions)."""
