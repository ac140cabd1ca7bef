"""API routes of the training area."""

from ninja import Router

router = Router(tags=["training"])
