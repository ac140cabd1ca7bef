"""Let the sign-in and sign-out forms lead to ProConnect under the `form-action` CSP.

Browsers apply `form-action` to the redirects that follow a form: the sign-in button and the
sign-out form end at the provider, so its origin joins `'self'` when ProConnect is configured.
"""

from urllib.parse import urlsplit

from django.conf import settings

from maillage.proconnect.client import is_enabled


class ProConnectFormActionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_enabled():
            parts = urlsplit(settings.PROCONNECT_ISSUER)
            origin = f"{parts.scheme}://{parts.netloc}"
            update = dict(getattr(response, "_csp_update", None) or {})
            update["form-action"] = [*update.get("form-action", []), origin]
            response._csp_update = update
        return response
