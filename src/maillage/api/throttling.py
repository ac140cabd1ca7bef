"""Per-IP rate limits of the public API routes, on the cache shared by every process.

ninja's throttling (a sliding window kept in `CACHES["default"]`); an answer over the limit is a
429 in the API's error shape with `Retry-After`. `MAILLAGE_RATELIMIT_ENABLE=0` (or the setting of
that name set to False) turns every limit off, for benchmarks.
"""

import logging
import os

from django.conf import settings
from ninja.throttling import AnonRateThrottle

logger = logging.getLogger("maillage.api")


def limits_enabled():
    configured = getattr(settings, "MAILLAGE_RATELIMIT_ENABLE", None)
    if configured is not None:
        return bool(configured)
    return os.environ.get("MAILLAGE_RATELIMIT_ENABLE", "1") != "0"


class PublicThrottle(AnonRateThrottle):
    """Anonymous calls per client address; a call with a valid token is not counted here."""

    def __init__(self, scope, rate):
        self.scope = scope
        super().__init__(rate)

    def get_ident(self, request):
        # The socket's address: X-Forwarded-For is only trusted behind a declared proxy.
        proxies = getattr(settings, "NINJA_NUM_PROXIES", None) or 0
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
        if proxies and forwarded:
            addresses = [a.strip() for a in forwarded.split(",")]
            return addresses[-min(proxies, len(addresses))]
        return request.META.get("REMOTE_ADDR", "")

    def allow_request(self, request):
        if not limits_enabled():
            return True
        try:
            return super().allow_request(request)
        except Exception:
            # ninja runs throttles outside its error handling: a cache that cannot be read
            # must not turn a registration into a bare 500. Let it through, and say so.
            logger.exception("Limite par adresse illisible (cache) : requête acceptée.")
            return True


# A person registers for a few events; a script registering hundreds is refused.
registration_throttle = PublicThrottle("api_registration", "20/min")
# The routing calculator is asked once per profile tried.
decision_throttle = PublicThrottle("api_routing_decision", "60/min")
