"""Whether the sign-in page offers ProConnect (only when the instance is configured for it)."""

from maillage.proconnect.client import is_enabled


def proconnect(request):
    return {"proconnect_enabled": is_enabled()}
