"""Reads of referrals, always scoped to the organisation the user acts for."""

import re
from datetime import datetime, time, timedelta

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from maillage.accounts.enums import Role
from maillage.referrals.enums import ExportStatus
from maillage.referrals.models import (
    Attachment,
    ExportJob,
    Message,
    ReceiverSettings,
    Referral,
    Transition,
)
from maillage.referrals.normalise import fold

BOXES = ("received", "sent", "all")
SORTS = {
    "recent": ("-sent_at", "-id"),
    "oldest": ("sent_at", "id"),
    "name": ("search_name", "-sent_at"),
    "status": ("status", "-sent_at"),
}
LIST_RELATED = ("sender_organisation", "receiver_organisation", "sent_by", "assigned_to")
# What an inbox row shows: narrow rows, no JSON to decode (`.only(*LIST_FIELDS)` on pages).
LIST_FIELDS = (
    "id",
    "status",
    "first_name",
    "last_name",
    "anonymised_at",
    "sent_at",
    "sender_organisation__name",
    "sender_organisation__slug",
    "receiver_organisation__name",
    "receiver_organisation__slug",
    "sent_by__first_name",
    "sent_by__last_name",
    "sent_by__email",
    "assigned_to__first_name",
    "assigned_to__last_name",
    "assigned_to__email",
)


def referrals_visible_to(organisation):
    """Only the sending and the receiving organisation see a referral."""
    if organisation is None:
        return Referral.objects.none()
    return Referral.objects.filter(
        Q(sender_organisation=organisation) | Q(receiver_organisation=organisation)
    )


def referral_get(*, organisation, referral_id, for_update=False):
    """The referral if this organisation is a side of it; otherwise 404, like a missing one."""
    queryset = referrals_visible_to(organisation)
    if for_update:
        # Lock only the referral row (PostgreSQL refuses FOR UPDATE across a nullable join).
        queryset = queryset.select_for_update(of=("self",))
    else:
        queryset = queryset.select_related(
            *LIST_RELATED, "redirected_from", "previous__receiver_organisation", "offer"
        )
    try:
        return queryset.get(pk=referral_id)
    except (Referral.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Orientation introuvable.") from exc


def attachment_get(*, organisation, referral_id, attachment_id):
    """An attachment of a referral this organisation is a side of; otherwise 404."""
    referral = referral_get(organisation=organisation, referral_id=referral_id)
    attachment = Attachment.objects.filter(referral=referral, pk=attachment_id).first()
    if attachment is None or referral.anonymised_at:
        raise Http404("Pièce jointe introuvable.")
    attachment.referral = referral
    return attachment


def attachments_of(referral):
    return list(referral.attachments.all())


def reminder_interval(organisation):
    """Business days between two reminders to this receiver (its settings, else the default)."""
    settings_row = ReceiverSettings.objects.filter(organisation=organisation).first()
    if settings_row is None:
        return ReceiverSettings._meta.get_field("reminder_interval_business_days").default
    return settings_row.reminder_interval_business_days


def boxes_for(membership):
    if membership is not None and membership.role == Role.MANAGER:
        return BOXES
    return ("received", "sent")


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


NUMBER_RE = re.compile(r"^\s*(?:n\s*°|no\.?|numéro|#)?\s*(\d{1,12})\s*$", re.IGNORECASE)


def referral_number(q):
    """The referral number a search stands for ("1234", "n° 1234", "#1234"), or None."""
    match = NUMBER_RE.match(q or "")
    return int(match.group(1)) if match else None


def inbox(
    *,
    organisation,
    box="received",
    status=None,
    since=None,
    until=None,
    operator=None,
    counsellor=None,
    q="",
    sort="recent",
):
    """The filtered, sorted queryset of one box; paginate it, it is never evaluated here."""
    if box == "sent":
        queryset = Referral.objects.filter(sender_organisation=organisation)
    elif box == "all":
        queryset = referrals_visible_to(organisation)
    else:
        queryset = Referral.objects.filter(receiver_organisation=organisation)
    if status:
        queryset = queryset.filter(status=status)
    if since:
        queryset = queryset.filter(sent_at__gte=_day_start(since))
    if until:
        queryset = queryset.filter(sent_at__lt=_day_start(until + timedelta(days=1)))
    if operator:
        # "operator" is the other side of the referral.
        if box == "sent":
            queryset = queryset.filter(receiver_organisation=operator)
        elif box == "received":
            queryset = queryset.filter(sender_organisation=operator)
        else:
            queryset = queryset.filter(
                Q(receiver_organisation=operator) | Q(sender_organisation=operator)
            )
    if counsellor:
        queryset = queryset.filter(Q(sent_by=counsellor) | Q(assigned_to=counsellor))
    number = referral_number(q)
    if number is not None:
        # "1234", "n° 1234", "#1234": the referral of that number, if it is in this box.
        queryset = queryset.filter(pk=number)
    else:
        for word in fold(q).split()[:4]:
            queryset = queryset.filter(search_name__contains=word)
    return queryset.select_related(*LIST_RELATED).order_by(*SORTS.get(sort, SORTS["recent"]))


def history_of(referral):
    return list(
        Transition.objects.filter(referral=referral)
        .select_related("actor")
        .order_by("created_at", "id")
    )


def messages_of(referral, *, organisation):
    """Messages of both sides, and this organisation's own internal notes only."""
    return list(
        Message.objects.filter(referral=referral)
        .filter(Q(internal=False) | Q(organisation=organisation))
        .select_related("author", "organisation")
        .order_by("created_at", "id")
    )


def person_referrals(*, organisation, referral):
    """Every referral of the same person that this organisation may see (access request)."""
    keys = Q(pk=referral.pk)
    if referral.identity_key:
        keys |= Q(identity_key=referral.identity_key)
    if referral.email_key:
        keys |= Q(email_key=referral.email_key)
    return (
        referrals_visible_to(organisation)
        .filter(keys, anonymised_at__isnull=True)
        .select_related(*LIST_RELATED)
        .order_by("sent_at", "id")
    )


# --- webhooks ----------------------------------------------------------------------------------
def webhooks_of(organisation):
    from maillage.referrals.models import Webhook

    return Webhook.objects.filter(organisation=organisation)


def webhook_get(*, organisation, webhook_id, for_update=False):
    """The webhook if it belongs to this organisation; otherwise 404, like a missing one."""
    from maillage.referrals.models import Webhook

    queryset = webhooks_of(organisation)
    if for_update:
        queryset = queryset.select_for_update()
    try:
        return queryset.get(pk=webhook_id)
    except (Webhook.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Webhook introuvable.") from exc


def deliveries_of(organisation, *, limit=50):
    from maillage.referrals.models import WebhookDelivery

    return (
        WebhookDelivery.objects.filter(webhook__organisation=organisation)
        .select_related("webhook")
        .order_by("-created_at", "-id")[:limit]
    )


def routing_profiles_stored():
    """The routing profiles kept with referrals (no names), for `maillage rules simulate`.

    Routing cannot import referrals (it sits below): settings name this function in
    MAILLAGE_ROUTING_STORED_PROFILES and routing calls it through that setting.
    """
    stored = Referral.objects.exclude(profile__isnull=True).values_list("profile", flat=True)
    return stored.iterator()


def exports_of(*, user, organisation, limit=50):
    """The exports this person asked for in this organisation, the latest first."""
    if organisation is None or user is None:
        return ExportJob.objects.none()
    return ExportJob.objects.filter(organisation=organisation, requested_by=user).order_by(
        "-created_at", "-id"
    )[:limit]


def export_get(*, user, organisation, export_id, ready=True):
    """One export of this person in this organisation (ready, unless `ready=False`); otherwise
    404, for another person's or another organisation's export as for a missing one."""
    if organisation is None or user is None:
        raise Http404("Export introuvable.")
    queryset = ExportJob.objects.filter(organisation=organisation, requested_by=user)
    if ready:
        queryset = queryset.filter(status=ExportStatus.READY)
    job = queryset.filter(pk=export_id).first()
    if job is None:
        raise Http404("Export introuvable.")
    return job
