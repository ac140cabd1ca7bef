"""Signed links to one referral without an account: the receiver's email link, the person's link.

A token carries the link row's id, the referral's id and (receiver) the organisation's id, signed
for one purpose. It opens only when the signature holds, the ids match the URL and the row, the
row is not revoked and the link is still valid: 8 days for a receiver (a setting), and for the
person while the referral is open then for the retention period after it ended.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from maillage.core.scoping import scope_open_for_link, scopes_disabled
from maillage.core.signing import BadLink, make_token, read_token
from maillage.referrals.enums import TERMINAL
from maillage.referrals.models import AccessLink, LinkKind, PersonNotice, Referral

RECEIVER_PURPOSE = "referral.receiver-link"
PERSON_PURPOSE = "referral.person-link"

INVALID = "Ce lien n'est pas valide. Vérifiez que vous avez copié toute l'adresse reçue par e-mail."
REVOKED = "Ce lien a été désactivé par l'opérateur. Demandez-lui un nouvel accès."
EXPIRED = "Ce lien a expiré."


def bad_link_status(reason):
    """410 for a real link that expired or was revoked (it existed: say so), 404 otherwise."""
    return 410 if reason in (EXPIRED, REVOKED) else 404


@dataclass
class OpenLink:
    link: AccessLink
    referral: Referral


def receiver_link_create(*, referral, now=None):
    now = now or timezone.now()
    link = AccessLink.objects.create(
        referral=referral,
        organisation_id=referral.receiver_organisation_id,
        kind=LinkKind.RECEIVER,
        created_at=now,
        expires_at=now + timedelta(days=settings.MAILLAGE_REFERRAL_LINK_DAYS),
    )
    token = make_token(
        {"l": link.pk, "r": referral.pk, "o": referral.receiver_organisation_id},
        purpose=RECEIVER_PURPOSE,
    )
    return link, settings.SITE_URL + reverse("referrals:by_link", args=[referral.pk, token])


def person_link_create(*, referral, now=None):
    now = now or timezone.now()
    link = AccessLink.objects.create(referral=referral, kind=LinkKind.PERSON, created_at=now)
    token = make_token({"l": link.pk, "r": referral.pk}, purpose=PERSON_PURPOSE)
    return link, settings.SITE_URL + reverse("referrals:person", args=[token])


def _row(value, *, kind, referral_id=None, organisation=True):
    if not isinstance(value, dict) or not isinstance(value.get("l"), int):
        raise BadLink(INVALID)
    if referral_id is not None and value.get("r") != referral_id:
        raise BadLink(INVALID)
    with scopes_disabled():  # the token names the row; nobody's scope is open yet
        link = (
            AccessLink.objects.select_related("referral", "organisation")
            .filter(pk=value["l"], kind=kind, referral_id=value.get("r"))
            .first()
        )
    if link is None:
        raise BadLink(INVALID)
    if organisation and link.organisation_id != value.get("o"):
        raise BadLink(INVALID)
    if link.revoked_at is not None:
        raise BadLink(REVOKED)
    return link


def receiver_link_open(token, *, referral_id, now=None):
    """The receiver's link for `referral_id`, or BadLink with the French reason."""
    now = now or timezone.now()
    value = read_token(
        token,
        purpose=RECEIVER_PURPOSE,
        max_age=timedelta(days=settings.MAILLAGE_REFERRAL_LINK_DAYS),
    )
    link = _row(value, kind=LinkKind.RECEIVER, referral_id=referral_id)
    if link.expires_at is not None and link.expires_at <= now:
        raise BadLink(EXPIRED)
    referral = link.referral
    # The receiving organisation may have changed (a redirection makes a new referral).
    if referral.receiver_organisation_id != link.organisation_id or referral.anonymised_at:
        raise BadLink(INVALID)
    scope_open_for_link(organisation=link.organisation)
    return OpenLink(link=link, referral=referral)


def person_link_valid_until(referral):
    """Open referrals: no end yet. Ended ones: the retention period after the end."""
    if referral.status not in TERMINAL or referral.ended_at is None:
        return None
    return referral.ended_at + timedelta(days=30 * settings.MAILLAGE_REFERRAL_RETENTION_MONTHS)


def person_link_open(token, *, now=None):
    now = now or timezone.now()
    value = read_token(token, purpose=PERSON_PURPOSE)
    link = _row(value, kind=LinkKind.PERSON, organisation=False)
    referral = link.referral
    if referral.anonymised_at is not None:
        raise BadLink(EXPIRED)
    until = person_link_valid_until(referral)
    if until is not None and until <= now:
        raise BadLink(EXPIRED)
    scope_open_for_link(organisation=referral.receiver_organisation)
    return OpenLink(link=link, referral=referral)


def link_touch(link, *, now=None):
    """Count a use; the first use is remembered (the page then invites to create an account)."""
    now = now or timezone.now()
    first = link.first_used_at is None
    AccessLink.objects.filter(pk=link.pk).update(
        first_used_at=link.first_used_at or now, last_used_at=now, uses=link.uses + 1
    )
    link.first_used_at = link.first_used_at or now
    link.last_used_at = now
    link.uses += 1
    return first


def timeline_extras(referral, *, organisation):
    """For the referral page: messages to the person (subjects only) and, for the receiving
    operator, its email links (its managers may switch them off)."""
    extras = {
        "notices": list(PersonNotice.objects.filter(referral=referral).order_by("created_at"))
    }
    if organisation is not None and organisation.pk == referral.receiver_organisation_id:
        extras["email_links"] = list(
            AccessLink.objects.filter(
                referral=referral, kind=LinkKind.RECEIVER, organisation=organisation
            ).order_by("created_at", "id")
        )
    return extras
