"""Demo data of this area, added by `maillage demo` (idempotent): a year of ended referrals
between the demo operators, then the roll-ups of the demo.

Runs last among the demo builders, so the referrals the other areas created are counted. The
history gives the dashboards real figures instead of "< 5" everywhere; its people are
synthetic (addresses under the reserved `.test` domain).
"""

from django.utils import timezone

from maillage.indicators.services import rollups_rebuild
from maillage.referrals.enums import TERMINAL

HISTORY_SIZE = 1200
HISTORY_SEED = 2019


def _history():
    from maillage.partners.models import Organisation
    from maillage.referrals.models import Referral
    from maillage.referrals.seed import rows

    if Referral.objects.filter(email__endswith="@exemple.test").exists():
        return 0
    today = timezone.localdate()
    current = {
        o.pk for o in Organisation.objects.filter(accepts_referrals=True) if o.is_current_on(today)
    }
    history = [
        Referral(**row)
        for row in rows(HISTORY_SIZE, seed=HISTORY_SEED, years=1, now=timezone.now())
        if row["status"] in TERMINAL
        and row["sender_organisation_id"] in current
        and row["receiver_organisation_id"] in current
    ]
    Referral.objects.bulk_create(history, batch_size=500)
    return len(history)


def build(*, stdout=None):
    created = _history()
    rows = rollups_rebuild()
    if stdout is not None:
        stdout.write(f"Indicateurs : {created} orientation(s) terminée(s) d'historique créée(s).")
        stdout.write(f"Indicateurs : {rows} ligne(s) d'agrégats reconstruites.")
