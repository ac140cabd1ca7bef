"""The receiver's email link: the « nouvelle orientation reçue » email, its uses, revocation."""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from maillage.accounts.enums import NotificationPreference
from maillage.core.audit import audit_log
from maillage.core.email import email_queue
from maillage.core.errors import DomainError, Forbidden
from maillage.core.french import de
from maillage.partners.models import Site
from maillage.referrals.enums import Action, Side
from maillage.referrals.links import link_touch, receiver_link_create
from maillage.referrals.models import AccessLink, LinkKind, PendingNotification
from maillage.referrals.notifications import recipients
from maillage.referrals.services.transitions import referral_read, referral_transition

# What a receiver may do from the email link (no redirection: it needs the consent form).
LINK_ACTIONS = (Action.ACCEPT, Action.REFUSE, Action.START, Action.CLOSE)


def receiver_notify_new(*, referral, sender, now=None):
    """Tell the receiving operator of a new referral, with a link that opens it without an
    account; an operator with no member in Maillage gets it at its sites' addresses."""
    link, url = receiver_link_create(referral=referral, now=now)
    subject = f"[Maillage] Nouvelle orientation reçue {de(sender.name)}"
    users = recipients(referral, Side.RECEIVER)
    addresses = [u.email for u in users if u.notification_preference == NotificationPreference.EACH]
    for user in users:
        if user.notification_preference == NotificationPreference.DIGEST:
            PendingNotification.objects.create(
                user=user,
                referral=referral,
                text=f"{sender.name} vous oriente une personne (orientation n° {referral.pk}).",
            )
    if not users:
        addresses = sorted(
            set(
                Site.objects.filter(organisation_id=referral.receiver_organisation_id)
                .exclude(email="")
                .values_list("email", flat=True)
            )
        )
    context = {
        "referral": referral,
        "sender": sender,
        "link": url,
        "days": settings.MAILLAGE_REFERRAL_LINK_DAYS,
        "account_url": settings.SITE_URL + referral.get_absolute_url(),
    }
    body = render_to_string("referrals/email/new_referral.txt", context)
    for address in addresses:
        email_queue(
            subject=subject,
            body=body,
            to=[address],
            dedup_key=f"referral:{referral.pk}:new:{address}",
        )
    return link


def _used(open_link, *, what):
    first = link_touch(open_link.link)
    audit_log(
        actor=None,
        action="referrals.link.used",
        obj=open_link.referral,
        organisation=open_link.link.organisation,
        data={"link": open_link.link.pk, "what": what},
    )
    return first


@transaction.atomic
def link_read(*, open_link):
    """Opening the referral from the link: audited, and the first opening receives it."""
    first = _used(open_link, what="read")
    referral = referral_read(
        actor=None,
        organisation=open_link.link.organisation,
        referral=open_link.referral,
        via="email_link",
    )
    return referral, first


@transaction.atomic
def link_transition(
    *, open_link, action, reason="", message="", outcome="", first_appointment_on=None
):
    if action not in LINK_ACTIONS:
        raise Forbidden(
            "Depuis le lien e-mail, on accepte, refuse, note le premier rendez-vous ou clôture : "
            "pour le reste, connectez-vous.",
            code="link_action",
        )
    _used(open_link, what=action)
    return referral_transition(
        actor=None,
        organisation=open_link.link.organisation,
        referral_id=open_link.referral.pk,
        action=action,
        reason=reason,
        message=message,
        outcome=outcome,
        first_appointment_on=first_appointment_on,
        via="email_link",
    )


@transaction.atomic
def access_link_revoke(*, actor, organisation, link_id):
    """The receiving operator's manager switches a link off; another operator's is a 404."""
    link = (
        AccessLink.objects.select_for_update()
        .filter(pk=link_id, kind=LinkKind.RECEIVER, organisation=organisation)
        .first()
    )
    if link is None:
        raise DomainError("Ce lien est introuvable.", code="not_found")
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.revoked_by = actor
        link.save(update_fields=["revoked_at", "revoked_by"])
        audit_log(
            actor=actor,
            action="referrals.link.revoked",
            obj=link.referral,
            organisation=organisation,
            data={"link": link.pk},
        )
    return link
