"""Anonymisation after the retention period: identity, contact and free text go, statistics stay."""

from django.db import transaction
from django.utils import timezone

from maillage.core.audit import audit_log
from maillage.referrals.models import Message, PendingNotification, Referral, Transition
from maillage.referrals.services.attachments import attachments_delete

# What survives: operators, dates, states, codes, department, age band, and the routing
# decision (rule and operators). The profile keeps only its non-identifying, non-sensitive part.
PROFILE_KEPT = ("department", "status")


@transaction.atomic
def referral_anonymise(*, referral_id, now=None):
    """Idempotent: an anonymised referral is left as it is."""
    now = now or timezone.now()
    referral = (
        Referral.objects.select_for_update()
        .filter(pk=referral_id, anonymised_at__isnull=True)
        .first()
    )
    if referral is None:
        return False
    referral.first_name = ""
    referral.last_name = ""
    referral.birth_date = None
    referral.email = ""
    referral.phone = ""
    referral.need = ""
    referral.search_name = ""
    referral.identity_key = ""
    referral.email_key = ""
    referral.duplicate_reason = ""
    referral.status_message = ""
    referral.preferred_contact = ""
    referral.profile = {k: v for k, v in referral.profile.items() if k in PROFILE_KEPT}
    referral.anonymised_at = now
    referral.save()
    # The files go too, at once (not on commit): CVs and reports are the most personal data
    # of a referral, and a file left behind by a rollback would outlive its retention.
    attachments_delete(referral)
    Message.objects.filter(referral=referral).update(body="")
    Transition.objects.filter(referral=referral).update(message="")
    PendingNotification.objects.filter(referral=referral).delete()
    audit_log(actor=None, action="referrals.referral.anonymised", obj=referral)
    return True
