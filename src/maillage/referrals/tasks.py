"""Background tasks of referrals: what `maillage tick` queues (cron, every 15 minutes).

Webhook deliveries have no periodic retry: the worker retries `deliver_webhook` itself.
"""

from maillage.referrals.jobs import (
    referrals_anonymise,
    referrals_expire_overdue,
    referrals_send_digests,
    referrals_send_reminders,
)

# Collected by `maillage.jobs.schedule`.
PERIODIC_TASKS = [
    referrals_send_reminders,
    referrals_expire_overdue,
    referrals_anonymise,
    referrals_send_digests,
]
