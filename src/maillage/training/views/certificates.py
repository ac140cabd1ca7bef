"""The public page that confirms a certificate of attendance, reached by its token only."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache

from maillage.core.ratelimits import ALL_METHODS, rate_limit_hit, too_many_requests
from maillage.training import certificates
from maillage.training.selectors.certificates import certificate_by_token


def _private(response):
    # The token never leaves in a Referer; the page is not for search engines.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
def certificate_verify(request, token):
    seconds = rate_limit_hit(request, "certificate_verify", methods=ALL_METHODS)
    if seconds is not None:
        return _private(too_many_requests(request, seconds))
    certificate = certificate_by_token(token)
    if certificate is None:
        return _private(
            render(request, "training/certificates/unknown.html", {"status": 404}, status=404)
        )
    return _private(
        render(
            request,
            "training/certificates/verify.html",
            certificates.verification_context(certificate),
        )
    )
