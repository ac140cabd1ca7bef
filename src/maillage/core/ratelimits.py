"""Rate limits per client address: one decorator for pages, one throttle for the API, one 429.

The counters are django-ratelimit's, kept in the shared cache (`RATELIMIT_USE_CACHE`), so
every process of the instance counts together; rates are `settings.MAILLAGE_RATELIMITS`.
A page and an API route limited under the same name share one budget per address.

The client address is `REMOTE_ADDR`. Only when `REMOTE_ADDR` is one of
`settings.MAILLAGE_TRUSTED_PROXIES` (addresses or networks) is `X-Forwarded-For` read: the
right-most address in it that is not itself a trusted proxy (the left-most is whatever the
client wrote). An IPv6 client is counted per /64, what one subscriber usually holds.
"""

import ipaddress
import math
import threading
from functools import lru_cache, wraps

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import get_usage
from ninja.throttling import BaseThrottle

PAGE_METHODS = ("POST",)
ALL_METHODS = ("GET", "HEAD", "POST")


@lru_cache(maxsize=8)
def _networks(entries):
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _address(value):
    try:
        return ipaddress.ip_address(value.strip().split("%")[0])
    except ValueError:
        return None


def _trusted(address):
    networks = _networks(tuple(getattr(settings, "MAILLAGE_TRUSTED_PROXIES", ())))
    return address is not None and any(address in network for network in networks)


def client_ip(request):
    """The client's address as a string (also django-axes' `AXES_CLIENT_IP_CALLABLE`)."""
    remote = request.META.get("REMOTE_ADDR", "")
    if not _trusted(_address(remote)):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for candidate in reversed([part.strip() for part in forwarded if part.strip()]):
        address = _address(candidate)
        if address is None:
            break  # a malformed hop: trust nothing further left
        if not _trusted(address):
            return str(address)
    return remote


def _network_of(request, *, ipv4_prefix, ipv6_prefix):
    address = _address(client_ip(request))
    if address is None:
        return "inconnue"
    prefix = ipv4_prefix if address.version == 4 else ipv6_prefix
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def address_key(request):
    """What one rate limit counts: an IPv4 address, or an IPv6 /64."""
    return _network_of(request, ipv4_prefix=32, ipv6_prefix=64)


def range_key(request):
    """What the sign-in lockout per range counts: an IPv4 /24, or an IPv6 /64."""
    return _network_of(request, ipv4_prefix=24, ipv6_prefix=64)


def usage(request, *, group, rate, key=address_key, methods=PAGE_METHODS, increment=True):
    """django-ratelimit's usage of `group` for this request (None when it does not apply)."""
    return get_usage(
        request,
        group=f"maillage.{group}",
        key=lambda _group, req: key(req),
        rate=rate,
        method=list(methods) if methods else get_usage.ALL,
        increment=increment,
    )


def enabled():
    return bool(getattr(settings, "MAILLAGE_RATELIMIT_ENABLE", True))


def rate_limit_hit(request, name, *, methods=PAGE_METHODS):
    """Count this request under `name`; the seconds to wait when it is over the limit, else
    None (also when rate limits are turned off by `MAILLAGE_RATELIMIT_ENABLE=0`)."""
    if not enabled():
        return None
    result = usage(request, group=name, rate=settings.MAILLAGE_RATELIMITS[name], methods=methods)
    if result is None or not result["should_limit"]:
        return None
    return max(int(result["time_left"]), 1)


def delay_fr(seconds):
    """« 42 secondes », « 3 minutes »: how long to wait, in French."""
    if seconds < 60:
        return f"{seconds} seconde{'s' if seconds > 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes > 1 else ''}"


def too_many_requests(request, seconds, *, template="429.html", context=None):
    """The French 429 page in the site's layout, with `Retry-After`."""
    response = render(
        request,
        template,
        {"retry_after": seconds, "delay": delay_fr(seconds), **(context or {})},
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


def rate_limit(name, *, methods=PAGE_METHODS):
    """Decorate a view: over `MAILLAGE_RATELIMITS[name]` from one address, answer the 429."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            seconds = rate_limit_hit(request, name, methods=methods)
            if seconds is not None:
                return too_many_requests(request, seconds)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class AddressThrottle(BaseThrottle):
    """A ninja throttle on the same counters: `throttle=api_throttles("event_registration")`."""

    def __init__(self, name, *, methods=PAGE_METHODS):
        self.name = name
        self.methods = methods
        self._local = threading.local()  # one instance serves every thread of the operation

    def allow_request(self, request):
        self._local.wait = rate_limit_hit(request, self.name, methods=self.methods)
        return self._local.wait is None

    def wait(self):
        return getattr(self._local, "wait", None)


def api_throttles(name, *, methods=PAGE_METHODS):
    return [AddressThrottle(name, methods=methods)]


def api_throttled(api, request, exc):
    """ninja's `Throttled` as the API's JSON error, in French, with `Retry-After`."""
    seconds = max(math.ceil(exc.wait or 60), 1)
    response = api.create_response(
        request,
        {
            "detail": "Trop de demandes depuis votre adresse : réessayez dans "
            f"{delay_fr(seconds)}.",
            "code": "rate_limited",
            "errors": [],
        },
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response
