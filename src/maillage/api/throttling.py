"""Per-address rate limits of the public API routes: the shared ones of core.ratelimits.

django-ratelimit's counters in the shared cache, `settings.MAILLAGE_RATELIMITS` for the rates,
`MAILLAGE_RATELIMIT_ENABLE=0` to turn them off (benchmarks); a 429 in the API's error shape
with `Retry-After` (errors.py registers core.ratelimits.api_throttled).
"""

import logging

from maillage.core.ratelimits import AddressThrottle

logger = logging.getLogger("maillage.api")


class PublicThrottle(AddressThrottle):
    def allow_request(self, request):
        try:
            return super().allow_request(request)
        except Exception:
            # ninja runs throttles outside its error handling: a cache that cannot be read
            # must not turn a registration into a bare 500. Let it through, and say so.
            logger.exception("Limite par adresse illisible (cache) : requête acceptée.")
            self._local.wait = None
            return True


registration_throttle = [PublicThrottle("event_registration")]
decision_throttle = [PublicThrottle("routing")]
