"""One normalisation of a sign-in identifier (an email), shared by sign-in, lockout, password
reset and invitations, so that every spelling of an address is the same account."""

import unicodedata


def identifier_normalise(value):
    """`" Conseiller@UNAGECIF.demo "` → `"conseiller@unagecif.demo"` (NFC, stripped, lower
    case: accounts are stored in lower case)."""
    return unicodedata.normalize("NFC", str(value or "")).strip().lower()


def axes_username(request, credentials=None):
    """django-axes' `AXES_USERNAME_CALLABLE`: failures count under the normalised address."""
    from django.conf import settings

    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials and credentials.get(field) is not None:
        return identifier_normalise(credentials[field])
    data = getattr(request, "POST", None) or {}
    return identifier_normalise(data.get(field, ""))
