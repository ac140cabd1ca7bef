"""API routes of the indicators area."""

from ninja import Router

router = Router(tags=["indicators"])
