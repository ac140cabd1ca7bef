"""Template context shared by every page: the current membership, the site's name, the enums."""

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string


def site(request):
    return {
        "site_name": "Maillage",
        "current_membership": getattr(request, "membership", None),
        "user_memberships": getattr(request, "memberships", ()),
        "demo_mode": not settings.PRODUCTION,
    }


@cache
def _enums():
    return {name: import_string(path) for name, path in settings.MAILLAGE_TEMPLATE_ENUMS.items()}


def enums(request):
    """The status enums by name, so that templates compare with `EventStatus.CANCELLED`, never
    with a literal (a renamed status then fails loudly instead of hiding a branch)."""
    return _enums()
