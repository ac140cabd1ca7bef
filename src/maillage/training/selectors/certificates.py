"""Reads of certificates: the one public lookup, by token."""

from maillage.training.certificates import verify_url
from maillage.training.models import Certificate

TOKEN_MAX = 64


def certificate_by_token(token):
    """The certificate behind `token`, or None (an unknown token says nothing more)."""
    if not token or len(token) > TOKEN_MAX:
        return None
    return (
        Certificate.objects.select_related("session__event", "registration")
        .filter(token=token)
        .first()
    )


def verify_url_of(registration):
    """The verification address of this registration's certificate, once issued (else "")."""
    if registration is None:
        return ""
    certificate = Certificate.objects.filter(registration=registration).first()
    return verify_url(certificate) if certificate is not None else ""
