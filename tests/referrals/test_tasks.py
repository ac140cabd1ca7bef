"""Worker jobs: reminders, expiry, anonymisation and digests, through the real worker, twice."""

from datetime import date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from maillage.accounts.enums import NotificationPreference
from maillage.core.models import AuditEntry
from maillage.referrals import tasks
from maillage.referrals.enums import Status
from maillage.referrals.models import Message, Referral, Transition
from tests.referrals import factories

pytestmark = pytest.mark.django_db(transaction=True)


def _sent_on(referral, day):
    moment = timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=10))
    Referral.objects.filter(pk=referral.pk).update(sent_at=moment)


def _run(task, run_worker, **kwargs):
    task.enqueue(**kwargs)
    run_worker()


def test_business_cutoff_skips_weekends_and_french_holidays():
    # Friday 8 May 2026 (Victory Day) is a holiday: the 5 business days up to Monday 11 May
    # are 11, 7, 6, 5, 4 May → whatever was sent on Sunday 3 May or before is due.
    assert tasks.business_cutoff(date(2026, 5, 11), 5) == date(2026, 5, 3)
    assert tasks.business_cutoff(date(2026, 5, 11), 1) == date(2026, 5, 10)


def test_business_cutoff_agrees_with_the_core_business_day_count():
    from maillage.core.business_days import business_days_between

    for offset in range(0, 400, 3):
        today = date(2026, 1, 1) + timedelta(days=offset)
        for count in (1, 5, 30):
            cutoff = tasks.business_cutoff(today, count)
            assert business_days_between(cutoff, today) >= count
            assert business_days_between(cutoff + timedelta(days=1), today) < count


def test_reminder_after_the_operators_delay_through_the_worker_once(
    sender, receiver, run_worker, mailoutbox
):
    receiver.organisation.referral_reminder_business_days = 3
    receiver.organisation.save()
    due = factories.send(sender, receiver)
    recent = factories.send(sender, receiver)
    # Sent Wednesday 29 April 2026; Friday 1 May is a holiday: 3 business days are
    # 30 April, 4 May, 5 May — due on Tuesday 5 May, not on Monday 4 May.
    _sent_on(due, date(2026, 4, 29))
    _sent_on(recent, date(2026, 5, 4))
    run_worker()
    mailoutbox.clear()
    _run(tasks.referrals_send_reminders, run_worker, today="2026-05-04")
    assert Referral.objects.get(pk=due.pk).reminded_at is None
    _run(tasks.referrals_send_reminders, run_worker, today="2026-05-05")
    run_worker()
    assert Referral.objects.get(pk=due.pk).reminded_at is not None
    assert Referral.objects.get(pk=recent.pk).reminded_at is None
    reminders = [m for m in mailoutbox if "Relance" in m.subject]
    assert len(reminders) == 1 and reminders[0].to == [receiver.user.email]
    # Run twice: same result, no second email.
    _run(tasks.referrals_send_reminders, run_worker, today="2026-05-05")
    run_worker()
    assert len([m for m in mailoutbox if "Relance" in m.subject]) == 1
    assert AuditEntry.objects.filter(action="referrals.referral.reminded").count() == 1


def test_reminders_repeat_at_the_receivers_interval_once_per_slot_until_accepted(
    sender, receiver, run_worker, mailoutbox
):
    from maillage.referrals.models import ReceiverSettings, Reminder

    receiver.organisation.referral_reminder_business_days = 3
    receiver.organisation.referral_expiry_business_days = 30
    receiver.organisation.save()
    ReceiverSettings.objects.create(
        organisation=receiver.organisation, reminder_interval_business_days=2
    )
    waiting = factories.send(sender, receiver)
    # Sent Wednesday 29 April 2026 (1 May and 8 May are holidays): 3 business days on 5 May,
    # 5 on 7 May, 7 on 12 May.
    _sent_on(waiting, date(2026, 4, 29))
    run_worker()
    mailoutbox.clear()

    def reminders_after(day):
        _run(tasks.referrals_send_reminders, run_worker, today=day)
        run_worker()
        return len([m for m in mailoutbox if "Relance" in m.subject])

    assert reminders_after("2026-05-04") == 0
    assert reminders_after("2026-05-05") == 1
    assert reminders_after("2026-05-05") == 1  # the scheduler ran twice: nothing more
    assert reminders_after("2026-05-06") == 1
    assert reminders_after("2026-05-07") == 2
    assert reminders_after("2026-05-07") == 2
    assert list(Reminder.objects.values_list("slot", flat=True)) == [1, 2]
    factories.walk(waiting, sender, receiver, Status.ACCEPTED)
    assert reminders_after("2026-05-12") == 2  # accepted: no more reminders
    assert AuditEntry.objects.filter(action="referrals.referral.reminded").count() == 2


def test_without_settings_the_default_interval_applies(sender, receiver, run_worker):
    from maillage.referrals.models import Reminder
    from maillage.referrals.selectors import reminder_interval

    assert reminder_interval(receiver.organisation) == 3
    receiver.organisation.referral_reminder_business_days = 3
    receiver.organisation.referral_expiry_business_days = 30
    receiver.organisation.save()
    waiting = factories.send(sender, receiver)
    _sent_on(waiting, date(2026, 4, 29))
    # 3 business days on 5 May, 6 on 11 May (8 May is a holiday): the second reminder.
    _run(tasks.referrals_send_reminders, run_worker, today="2026-05-05")
    _run(tasks.referrals_send_reminders, run_worker, today="2026-05-07")
    assert list(Reminder.objects.values_list("slot", flat=True)) == [1]
    _run(tasks.referrals_send_reminders, run_worker, today="2026-05-11")
    assert list(Reminder.objects.values_list("slot", flat=True)) == [1, 2]


def test_the_reminder_slot_counts_from_the_first_delay():
    assert [tasks.reminder_slot(n, first=3, interval=2) for n in range(9)] == [
        0, 0, 0, 1, 1, 2, 2, 3, 3,
    ]  # fmt: skip


def test_expiry_after_the_operators_delay_through_the_worker_idempotent(
    sender, receiver, run_worker, mailoutbox
):
    receiver.organisation.referral_reminder_business_days = 2
    receiver.organisation.referral_expiry_business_days = 4
    receiver.organisation.save()
    waiting = factories.send(sender, receiver)
    answered = factories.walk(factories.send(sender, receiver), sender, receiver, Status.ACCEPTED)
    for r in (waiting, answered):
        _sent_on(r, date(2026, 12, 22))  # Tuesday; 25 Dec is a holiday
    # 4 business days after 22 Dec: 23, 24, 28, 29 → expires on 29 Dec, not 28.
    _run(tasks.referrals_expire_overdue, run_worker, today="2026-12-28")
    assert Referral.objects.get(pk=waiting.pk).status == Status.SENT
    _run(tasks.referrals_expire_overdue, run_worker, today="2026-12-29")
    _run(tasks.referrals_expire_overdue, run_worker, today="2026-12-29")
    run_worker()
    waiting.refresh_from_db()
    assert waiting.status == Status.EXPIRED and waiting.ended_at is not None
    assert Referral.objects.get(pk=answered.pk).status == Status.ACCEPTED
    rows = Transition.objects.filter(referral=waiting, to_status=Status.EXPIRED)
    assert rows.count() == 1 and rows.get().side == "system"
    assert any("expirée" in m.subject for m in mailoutbox if m.to == [sender.user.email])


def test_anonymisation_after_retention_keeps_statistics_and_is_idempotent(
    sender, receiver, run_worker, settings
):
    settings.MAILLAGE_REFERRAL_RETENTION_MONTHS = 24
    old = factories.walk(
        factories.send(sender, receiver, birth_date=date(1990, 3, 4)),
        sender,
        receiver,
        Status.CLOSED,
    )
    recent = factories.walk(factories.send(sender, receiver), sender, receiver, Status.CLOSED)
    open_one = factories.send(sender, receiver)
    from maillage.referrals import services

    services.referral_message_post(
        actor=receiver.user,
        organisation=receiver.organisation,
        referral_id=old.pk,
        body="Note sur Marie",
        internal=True,
    )
    Referral.objects.filter(pk=old.pk).update(ended_at=timezone.now() - timedelta(days=2 * 366))
    _run(tasks.referrals_anonymise, run_worker)
    old.refresh_from_db()
    assert old.anonymised_at is not None
    assert (old.first_name, old.last_name, old.email, old.need, old.birth_date) == (
        "",
        "",
        "",
        "",
        None,
    )
    assert old.profile == {"department": "93", "status": "job_seeker"}
    # Statistics stay.
    assert (old.status, old.outcome, old.department, old.age_band) == (
        Status.CLOSED,
        "advice_given",
        "93",
        "26-34",  # the age given in the routing profile (30)
    )
    assert old.sender_organisation == sender.organisation and old.accepted_at is not None
    assert Message.objects.get(referral=old).body == ""
    first_stamp = old.anonymised_at
    _run(tasks.referrals_anonymise, run_worker)
    old.refresh_from_db()
    assert old.anonymised_at == first_stamp
    assert Referral.objects.get(pk=recent.pk).anonymised_at is None
    assert Referral.objects.get(pk=open_one.pk).anonymised_at is None
    assert AuditEntry.objects.filter(action="referrals.referral.anonymised").count() == 1


def test_notification_preferences_each_digest_none(sender, receiver, run_worker, mailoutbox):
    from tests.factories import MembershipFactory

    digest = MembershipFactory(organisation=receiver.organisation, user__email="d@cap-test.fr")
    silent = MembershipFactory(organisation=receiver.organisation, user__email="s@cap-test.fr")
    digest.user.notification_preference = NotificationPreference.DIGEST
    digest.user.save()
    silent.user.notification_preference = NotificationPreference.NONE
    silent.user.save()
    factories.send(sender, receiver)
    factories.send(sender, receiver)
    run_worker()
    to = [m.to[0] for m in mailoutbox]
    assert to.count(receiver.user.email) == 2
    assert digest.user.email not in to and silent.user.email not in to
    _run(tasks.referrals_send_digests, run_worker)
    run_worker()
    digests = [m for m in mailoutbox if m.to == [digest.user.email]]
    assert len(digests) == 1 and "Récapitulatif" in digests[0].subject
    assert digests[0].body.count("/orientations/") == 2
    # Same day again: nothing more, even with a new change.
    factories.send(sender, receiver)
    _run(tasks.referrals_send_digests, run_worker)
    run_worker()
    assert len([m for m in mailoutbox if m.to == [digest.user.email]]) == 1


def test_tick_queues_the_referral_jobs(db):
    from django_tasks_db.models import DBTaskResult

    call_command("tick", verbosity=0)
    names = set(DBTaskResult.objects.values_list("task_path", flat=True))
    assert "maillage.referrals.tasks.referrals_send_reminders" in names
    assert "maillage.referrals.tasks.referrals_anonymise" in names
