"""Template context shared by every page: the current membership and the site's name."""

from django.conf import settings


def site(request):
    return {
        "site_name": "Maillage",
        "current_membership": getattr(request, "membership", None),
        "user_memberships": getattr(request, "memberships", ()),
        "demo_mode": not settings.PRODUCTION,
    }
