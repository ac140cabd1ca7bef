"""API routes of the routing area."""

from ninja import Router

router = Router(tags=["routing"])
