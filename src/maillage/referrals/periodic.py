"""Periodic tasks of this area, queued by `maillage tick` (cron, every 15 minutes).

Webhook deliveries have no periodic retry: the worker retries `deliver_webhook` itself.
"""


def periodic_tasks():
    from maillage.referrals import tasks

    return [
        tasks.referrals_send_reminders,
        tasks.referrals_expire_overdue,
        tasks.referrals_anonymise,
        tasks.referrals_send_digests,
    ]
