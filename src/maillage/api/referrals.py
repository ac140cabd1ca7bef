"""API routes of the referrals area."""

from ninja import Router

router = Router(tags=["referrals"])
