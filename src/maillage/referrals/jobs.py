"""Worker jobs (django-tasks): reminders, expiry, anonymisation, digests — all idempotent.

Each job takes an optional ISO `today`/`now` so tests and replays can run it for a given date.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from maillage.core.audit import audit_log
from maillage.core.business_days import is_business_day
from maillage.core.email import email_queue
from maillage.partners.models import Organisation
from maillage.referrals.enums import PENDING, Side
from maillage.referrals.models import PendingNotification, Referral
from maillage.referrals.notifications import notify
from maillage.referrals.services import referral_anonymise, referral_expire

BATCH = 500


def business_cutoff(today: date, count: int) -> date:
    """The latest day D such that `count` business days have passed between D and `today`
    (holidays and weekends skipped): what was sent on D or before is overdue today."""
    day = today
    seen = 0
    while seen < count:
        if is_business_day(day):
            seen += 1
        day -= timedelta(days=1)
    return day


def _before(day):
    """Aware start of the day after `day` (Europe/Paris): sent_at < this means "sent on or
    before day"."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def _today(value):
    return date.fromisoformat(value) if value else timezone.localdate()


def _overdue(organisation, *, days, today):
    return Referral.objects.filter(
        receiver_organisation=organisation,
        status__in=PENDING,
        sent_at__lt=_before(business_cutoff(today, days)),
    )


def send_reminders(*, today=None):
    today = _today(today)
    sent = 0
    for organisation in Organisation.objects.filter(accepts_referrals=True):
        days = organisation.referral_reminder_business_days
        due = _overdue(organisation, days=days, today=today).filter(reminded_at__isnull=True)
        for pk in list(due.values_list("pk", flat=True)[:BATCH]):
            sent += _remind(pk, days=days)
    return sent


@transaction.atomic
def _remind(referral_id, *, days):
    referral = (
        Referral.objects.select_for_update(skip_locked=True)
        .filter(pk=referral_id, reminded_at__isnull=True, status__in=PENDING)
        .first()
    )
    if referral is None:
        return 0
    referral.reminded_at = timezone.now()
    referral.save(update_fields=["reminded_at"])
    audit_log(actor=None, action="referrals.referral.reminded", obj=referral)
    notify(
        referral=referral,
        side=Side.RECEIVER,
        subject=f"Relance : orientation n° {referral.pk} en attente de réponse",
        text=(
            f"L'orientation n° {referral.pk} attend votre réponse depuis plus de {days} jours "
            "ouvrés. Acceptez-la, refusez-la ou réorientez la personne."
        ),
        force_each=True,
        key="reminder",
    )
    return 1


def expire_overdue(*, today=None):
    today = _today(today)
    expired = 0
    for organisation in Organisation.objects.filter(accepts_referrals=True):
        due = _overdue(organisation, days=organisation.referral_expiry_business_days, today=today)
        for pk in list(due.values_list("pk", flat=True)[:BATCH]):
            expired += referral_expire(referral_id=pk) is not None
    return expired


def months_before(moment, months):
    year, month = divmod(moment.month - 1 - months, 12)
    year += moment.year
    month += 1
    day = min(moment.day, 28)
    return moment.replace(year=year, month=month, day=day)


def anonymise_expired(*, now=None):
    now = datetime.fromisoformat(now) if now else timezone.now()
    limit = months_before(now, settings.MAILLAGE_REFERRAL_RETENTION_MONTHS)
    due = Referral.objects.filter(anonymised_at__isnull=True, ended_at__lt=limit)
    return sum(
        referral_anonymise(referral_id=pk) for pk in list(due.values_list("pk", flat=True)[:5000])
    )


def send_digests(*, today=None):
    """One digest per user and per day at most, with what happened since the last one."""
    today = _today(today)
    user_ids = (
        PendingNotification.objects.filter(digested_at__isnull=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
    return sum(_digest(user_id, today=today) for user_id in list(user_ids))


@transaction.atomic
def _digest(user_id, *, today):
    already = PendingNotification.objects.filter(user_id=user_id, digested_at__date=today).exists()
    if already:
        return 0
    items = list(
        PendingNotification.objects.select_for_update(skip_locked=True)
        .filter(user_id=user_id, digested_at__isnull=True)
        .select_related("user")
        .order_by("created_at", "id")
    )
    if not items:
        return 0
    user = items[0].user
    body = render_to_string(
        "referrals/email/digest.txt",
        {"user": user, "items": items, "site_url": settings.SITE_URL},
    )
    email_queue(
        subject=f"[Maillage] Récapitulatif de vos orientations ({len(items)})",
        dedup_key=f"referrals:digest:{user_id}:{today.isoformat()}",
        body=body,
        to=[user.email],
    )
    PendingNotification.objects.filter(pk__in=[i.pk for i in items]).update(
        digested_at=timezone.now()
    )
    return 1


@task()
def referrals_send_reminders(today=None):
    return send_reminders(today=today)


@task()
def referrals_expire_overdue(today=None):
    return expire_overdue(today=today)


@task()
def referrals_anonymise(now=None):
    return anonymise_expired(now=now)


@task()
def referrals_send_digests(today=None):
    return send_digests(today=today)
