"""Periodic tasks of this area, queued by `maillage tick` (cron, every 15 minutes).

Webhook deliveries have no periodic retry: the worker retries `deliver_webhook` itself.
"""


def periodic_tasks():
    from maillage.referrals import jobs

    return [
        jobs.referrals_send_reminders,
        jobs.referrals_expire_overdue,
        jobs.referrals_anonymise,
        jobs.referrals_send_digests,
    ]
