"""Anonymous public pages served from a short per-URL cache (home, directory, events, offers).

A page is kept `MAILLAGE_PUBLIC_CACHE_SECONDS` (30 s by default, 0 turns it off) in a cache
local to the process, keyed by its full URL (query string included), only when:

- the request is a GET or HEAD by nobody signed in, without a session or a pending message
  (a cookie `sessionid` or `messages`: such a visitor gets the live page, never a shared one);
- its path is one of `MAILLAGE_PUBLIC_CACHE_PATHS` (pages without personal data);
- the answer is a plain 200 page that set no cookie and used no CSRF token (a form with a
  token is per visitor) and is not marked private.

Answers carry `Vary: Cookie`, so no shared cache in front gives a signed-in person's page to
another. A change shows at most that many seconds late on these pages; signed-in people,
forms and the API are never cached.
"""

import re

from django.conf import settings
from django.core.cache import caches
from django.utils.cache import patch_vary_headers

PRIVATE_COOKIES = ("messages",)
_PRIVATE = re.compile(r"\b(private|no-store|no-cache)\b")


def _eligible_request(request):
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    if any(name in request.COOKIES for name in PRIVATE_COOKIES):
        return False
    paths = settings.MAILLAGE_PUBLIC_CACHE_PATHS
    return any(re.fullmatch(pattern, request.path) for pattern in paths)


def _cacheable_response(request, response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        # The page used a CSRF token (a form): it belongs to this visitor.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not _PRIVATE.search(response.get("Cache-Control", ""))
    )


def _key(request, prefix="page"):
    return f"{prefix}:{request.get_full_path()}"


def shareable(request):
    """For a view that keeps its own answer (work to do before it, such as counting): the
    same rules as the middleware, whatever the path."""
    return (
        bool(settings.MAILLAGE_PUBLIC_CACHE_SECONDS)
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not any(name in request.COOKIES for name in PRIVATE_COOKIES)
        and not request.user.is_authenticated
    )


def get(request, *, prefix):
    return caches["pages"].get(_key(request, prefix))


def keep(request, response, *, prefix):
    patch_vary_headers(response, ("Cookie",))
    if _cacheable_response(request, response):
        caches["pages"].set(_key(request, prefix), response, settings.MAILLAGE_PUBLIC_CACHE_SECONDS)


class PublicPageCacheMiddleware:
    """Placed after the authentication middleware (it asks `request.user`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.MAILLAGE_PUBLIC_CACHE_SECONDS
        if not seconds or not _eligible_request(request) or request.user.is_authenticated:
            return self.get_response(request)
        cache = caches["pages"]
        key = _key(request)
        cached = cache.get(key)
        if cached is not None:
            return cached
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        if _cacheable_response(request, response):
            cache.set(key, response, seconds)
        return response
