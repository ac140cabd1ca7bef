"""Sign-in lockout per address range, above django-axes' lockout per account.

axes locks an account after `AXES_FAILURE_LIMIT` failures under its (normalised) address.
A guesser who spreads over many accounts is stopped here: after
`MAILLAGE_LOCKOUT_RANGE_FAILURES` failures within an hour from one IPv4 /24 or IPv6 /64,
sign-in from that range is refused until the hour's window ends. The threshold is high
because the counsellors of one operator often share an office address.
"""

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from maillage.core.ratelimits import range_key, usage

GROUP = "signin_range_failures"


def _usage(request, *, increment):
    rate = f"{settings.MAILLAGE_LOCKOUT_RANGE_FAILURES}/h"
    return usage(request, group=GROUP, rate=rate, key=range_key, increment=increment)


def range_locked_for(request):
    """Seconds until sign-in from this request's range opens again; None when it is open."""
    result = _usage(request, increment=False)
    if result is None or result["count"] < result["limit"]:
        return None
    return max(int(result["time_left"]), 1)


@receiver(user_login_failed, dispatch_uid="maillage_range_failure")
def _count_range_failure(sender, credentials, request=None, **kwargs):
    if request is not None and getattr(request, "META", None) is not None:
        _usage(request, increment=True)
