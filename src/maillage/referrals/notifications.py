"""Who hears of a referral's change, and how: each change by email, a daily digest, or nothing."""

from django.conf import settings
from django.template.loader import render_to_string

from maillage.accounts.enums import NotificationPreference, Role
from maillage.accounts.models import Membership
from maillage.core.email import email_queue
from maillage.core.email_html import html_from_text
from maillage.referrals.enums import Side
from maillage.referrals.models import PendingNotification

RECEIVING_ROLES = (Role.COUNSELLOR, Role.MANAGER)


def _members(organisation_id, *, user_ids=None):
    queryset = Membership.objects.active().filter(
        organisation_id=organisation_id, role__in=RECEIVING_ROLES, user__is_active=True
    )
    if user_ids is not None:
        queryset = queryset.filter(user_id__in=user_ids)
    return [m.user for m in queryset.select_related("user").order_by("user_id")]


def recipients(referral, side, *, exclude=None):
    """The people of `side` to tell: the assignee or the sender first, else the whole team."""
    if side == Side.RECEIVER:
        organisation_id = referral.receiver_organisation_id
        person_id = referral.assigned_to_id
    else:
        organisation_id = referral.sender_organisation_id
        person_id = referral.sent_by_id
    users = _members(organisation_id, user_ids=[person_id]) if person_id else []
    if not users:
        users = _members(organisation_id)
    return [u for u in users if exclude is None or u.pk != exclude.pk]


def notify(*, referral, side, subject, text, exclude=None, force_each=False, key=None):
    """Tell `side` of a change, as each recipient chose (reminders use force_each).

    `key` names the fact (e.g. "received", "transition:12"): the same fact is emailed once
    to each person, however often the code that reports it runs.
    """
    url = f"{settings.SITE_URL}{referral.get_absolute_url()}"
    for user in recipients(referral, side, exclude=exclude):
        preference = user.notification_preference
        if force_each and preference != NotificationPreference.NONE:
            preference = NotificationPreference.EACH
        if preference == NotificationPreference.EACH:
            body = render_to_string(
                "referrals/email/change.txt",
                {"user": user, "text": text, "url": url, "referral": referral},
            )
            email_queue(
                subject=f"[Maillage] {subject}",
                body=body,
                html=html_from_text(body, title=subject),
                to=[user.email],
                dedup_key=f"referrals:{referral.pk}:{key}:user:{user.pk}" if key else None,
            )
        elif preference == NotificationPreference.DIGEST:
            PendingNotification.objects.create(user=user, referral=referral, text=text[:300])
