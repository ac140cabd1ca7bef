"""Worker tasks (django-tasks): reminders, expiry, anonymisation, digests — all idempotent.

Each job takes an optional ISO `today`/`now` so tests and replays can run it for a given date.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from maillage.core.audit import audit_log
from maillage.core.business_days import business_days_between, is_business_day
from maillage.core.email import email_queue
from maillage.jobs.errors import error_describe
from maillage.jobs.policy import retry_policy
from maillage.partners.models import Organisation
from maillage.referrals.enums import PENDING, Side
from maillage.referrals.models import PendingNotification, Referral, Reminder
from maillage.referrals.notifications import notify
from maillage.referrals.selectors import reminder_interval
from maillage.referrals.services import exports as export_services
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


def reminder_slot(elapsed, *, first, interval):
    """Which reminder is due after `elapsed` business days: 0 none yet, 1 at the operator's
    delay, then one more every `interval` business days."""
    if elapsed < first:
        return 0
    return 1 + (elapsed - first) // max(interval, 1)


def send_reminders(*, today=None):
    """Remind each receiver of what still waits for its answer, once per slot: at its delay,
    then at its interval until acceptance or expiry (a second run of a day sends nothing)."""
    today = _today(today)
    sent = 0
    for organisation in Organisation.objects.filter(accepts_referrals=True):
        first = organisation.referral_reminder_business_days
        interval = reminder_interval(organisation)
        due = (
            _overdue(organisation, days=first, today=today)
            .annotate(last_slot=Max("reminders__slot"))
            .values_list("pk", "sent_at", "last_slot")
        )
        elapsed_by_day = {}
        for pk, sent_at, last_slot in list(due[:BATCH]):
            day = timezone.localdate(sent_at)
            if day not in elapsed_by_day:
                elapsed_by_day[day] = business_days_between(day, today)
            elapsed = elapsed_by_day[day]
            slot = reminder_slot(elapsed, first=first, interval=interval)
            if slot > (last_slot or 0):
                sent += _remind(pk, slot=slot, elapsed=elapsed)
    return sent


@transaction.atomic
def _remind(referral_id, *, slot, elapsed):
    referral = (
        Referral.objects.select_for_update(skip_locked=True)
        .filter(pk=referral_id, status__in=PENDING)
        .first()
    )
    # The row lock orders two schedulers: the second one finds the slot taken.
    if referral is None or Reminder.objects.filter(referral=referral, slot=slot).exists():
        return 0
    now = timezone.now()
    Reminder.objects.create(referral=referral, slot=slot, sent_at=now)
    referral.reminded_at = now
    referral.save(update_fields=["reminded_at"])
    audit_log(actor=None, action="referrals.referral.reminded", obj=referral, data={"slot": slot})
    notify(
        referral=referral,
        side=Side.RECEIVER,
        subject=f"Relance : orientation n° {referral.pk} en attente de réponse",
        text=(
            f"L'orientation n° {referral.pk} attend votre réponse depuis {elapsed} jours "
            "ouvrés. Acceptez-la, refusez-la ou réorientez la personne."
        ),
        force_each=True,
        key=f"reminder:{slot}",
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


@retry_policy(
    max_attempts=3,
    base_seconds=60,
    on_parked=export_services.export_failed,
    owner=export_services.export_owner,
    label="Préparation d'un export des orientations",
)
@task()
def referrals_export_build(*, export_id):
    """Write one asked-for export into its file (retried by the worker, then parked)."""
    try:
        return export_services.export_build(export_id=export_id)
    except Exception as error:
        export_services.export_attempt_failed(export_id=export_id, reason=error_describe(error))
        raise


@task()
def referrals_exports_purge(now=None):
    return export_services.exports_purge(now=datetime.fromisoformat(now) if now else None)


# Collected by `maillage.jobs.schedule`. Webhook deliveries have no periodic retry: the worker
# retries `deliver_webhook` itself.
PERIODIC_TASKS = [
    referrals_send_reminders,
    referrals_expire_overdue,
    referrals_anonymise,
    referrals_send_digests,
    referrals_exports_purge,
]
