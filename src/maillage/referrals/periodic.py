"""Periodic tasks of this area, queued by `maillage tick` (cron, every 15 minutes)."""


def periodic_tasks():
    from maillage.referrals import jobs, webhooks

    return [
        jobs.referrals_send_reminders,
        jobs.referrals_expire_overdue,
        jobs.referrals_anonymise,
        jobs.referrals_send_digests,
        webhooks.webhooks_retry_due,
    ]
