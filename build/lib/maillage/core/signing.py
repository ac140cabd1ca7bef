"""Signed links: tokens that carry an id, expire, and cannot be forged or reused elsewhere."""

from django.core import signing


class BadLink(Exception):
    """The link was tampered with, belongs to another purpose, or has expired."""


def make_token(value, *, purpose):
    return signing.dumps(value, salt=f"maillage.{purpose}", compress=True)


def read_token(token, *, purpose, max_age=None):
    try:
        return signing.loads(token, salt=f"maillage.{purpose}", max_age=max_age)
    except signing.SignatureExpired as exc:
        raise BadLink("Ce lien a expiré.") from exc
    except signing.BadSignature as exc:
        raise BadLink("Ce lien n'est pas valide.") from exc
