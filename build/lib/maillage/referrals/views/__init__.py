"""Pages of the referrals area (thin: scoped read → one service → render or redirect)."""
