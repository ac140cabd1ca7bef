"""Writes of the referrals area (one transaction each, audited, notifications on commit)."""

from maillage.referrals.services.anonymise import referral_anonymise
from maillage.referrals.services.send import DuplicateFound, duplicates_find, referral_send
from maillage.referrals.services.transitions import (
    referral_assign,
    referral_expire,
    referral_message_post,
    referral_read,
    referral_transition,
)
from maillage.referrals.services.webhooks import (
    webhook_create,
    webhook_deactivate,
    webhook_update,
)

__all__ = [
    "DuplicateFound",
    "duplicates_find",
    "referral_anonymise",
    "referral_assign",
    "referral_expire",
    "referral_message_post",
    "referral_read",
    "referral_send",
    "referral_transition",
    "webhook_create",
    "webhook_deactivate",
    "webhook_update",
]
