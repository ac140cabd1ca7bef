"""API routes of the events area."""

from ninja import Router

router = Router(tags=["events"])
