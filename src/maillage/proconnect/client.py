"""The OpenID Connect client of ProConnect (Authlib): discovery, PKCE, state, nonce, checks.

Authlib keeps `state`, `nonce` and the PKCE `code_verifier` in the session, refuses a callback
whose state it did not issue, and checks the ID token's signature (the provider's JWKS), issuer,
audience, expiry and nonce. ProConnect answers the userinfo endpoint with a signed JWT: it is
checked here with the same keys, issuer and audience.
"""

import functools

from authlib.integrations.django_client import OAuth
from django.conf import settings
from joserfc import jwt
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry


class SignInFailed(Exception):
    """The provider's answer could not be trusted; the message is for the person."""


def is_enabled():
    return bool(
        settings.PROCONNECT_ISSUER
        and settings.PROCONNECT_CLIENT_ID
        and settings.PROCONNECT_CLIENT_SECRET
    )


@functools.lru_cache(maxsize=4)
def _client(issuer, client_id, client_secret, scope):
    oauth = OAuth()
    return oauth.register(
        name="proconnect",
        client_id=client_id,
        client_secret=client_secret,
        server_metadata_url=f"{issuer.rstrip('/')}/.well-known/openid-configuration",
        client_kwargs={
            "scope": scope,
            "code_challenge_method": "S256",
            "token_endpoint_auth_method": "client_secret_post",
            "timeout": settings.PROCONNECT_TIMEOUT_SECONDS,
        },
    )


def client():
    return _client(
        settings.PROCONNECT_ISSUER,
        settings.PROCONNECT_CLIENT_ID,
        settings.PROCONNECT_CLIENT_SECRET,
        settings.PROCONNECT_SCOPES,
    )


def userinfo(token):
    """The userinfo claims, from JSON or from ProConnect's signed JWT (checked)."""
    oidc = client()
    metadata = oidc.load_server_metadata()
    response = oidc.get(metadata["userinfo_endpoint"], token=token)
    response.raise_for_status()
    if not response.headers.get("content-type", "").startswith("application/jwt"):
        return response.json()
    keys = KeySet.import_key_set(oidc.fetch_jwk_set())
    decoded = jwt.decode(
        response.text.strip(),
        key=keys,
        registry=JWSRegistry(algorithms=metadata.get("userinfo_signing_alg_values_supported")),
    )
    claims = decoded.claims
    if claims.get("iss") not in (None, metadata["issuer"]):
        raise SignInFailed("La réponse de ProConnect vient d'un autre émetteur.")
    audience = claims.get("aud")
    if audience is not None and settings.PROCONNECT_CLIENT_ID not in (
        audience if isinstance(audience, list) else [audience]
    ):
        raise SignInFailed("La réponse de ProConnect était destinée à un autre service.")
    return claims
