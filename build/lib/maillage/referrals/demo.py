"""Demo referrals between demo operators, one or more in every state (idempotent, fast)."""

from datetime import date, timedelta

from django.utils import timezone

from maillage.accounts.models import Membership, User
from maillage.referrals import services
from maillage.referrals.enums import Action
from maillage.referrals.models import Referral

PROFILE_YOUNG = {"department": "93", "status": "job_seeker", "age": 22}
PROFILE_DISABLED = {"department": "75", "status": "job_seeker", "disability": True, "age": 41}
PROFILE_EMPLOYEE = {"department": "92", "status": "employed_private", "age": 38}

# (sender slug, receiver slug, first name, last name, profile, steps, days ago)
SCENARIOS = [
    ("pole-emploi", "arml-idf", "Inès", "Benali", PROFILE_YOUNG, [], 1),
    ("pole-emploi", "cheops-idf", "Marc", "Lefèvre", PROFILE_DISABLED, ["receive"], 3),
    ("arml-idf", "cheops-idf", "Sofia", "Moreau", PROFILE_DISABLED, ["accept"], 6),
    ("apec", "pole-emploi", "Julien", "Garnier", PROFILE_EMPLOYEE, ["accept", "start"], 12),
    (
        "cheops-idf",
        "pole-emploi",
        "Aïcha",
        "Diallo",
        PROFILE_DISABLED,
        ["accept", "start", "close"],
        25,
    ),
    ("pole-emploi", "apec", "Thomas", "Petit", PROFILE_EMPLOYEE, ["refuse"], 9),
    ("arml-idf", "pole-emploi", "Léa", "Roux", PROFILE_YOUNG, ["redirect"], 8),
    ("pole-emploi", "afdas", "Hugo", "Fontaine", PROFILE_EMPLOYEE, ["cancel"], 4),
    ("uniformation-idf", "faf-tt", "Nadia", "Chevalier", PROFILE_EMPLOYEE, ["expire"], 60),
    ("afdas", "pole-emploi", "Paul", "Mercier", PROFILE_EMPLOYEE, ["receive"], 2),
]


def _counsellor(slug):
    return User.objects.get(email=f"conseiller@{slug}.demo")


def _org(user, slug):
    return (
        Membership.objects.select_related("organisation")
        .get(user=user, organisation__slug=slug)
        .organisation
    )


def build(*, stdout=None):
    if Referral.objects.filter(sent_by__email__endswith=".demo").exists():
        return
    today = timezone.now()
    created = 0
    for sender_slug, receiver_slug, first, last, profile, steps, days in SCENARIOS:
        sender = _counsellor(sender_slug)
        receiver = _counsellor(receiver_slug)
        sender_org = _org(sender, sender_slug)
        receiver_org = _org(receiver, receiver_slug)
        moment = today - timedelta(days=days)
        referral = services.referral_send(
            actor=sender,
            organisation=sender_org,
            to=receiver_slug,
            person={
                "first_name": first,
                "last_name": last,
                "birth_date": date(1990, 1 + created % 12, 1 + created),
                "email": f"{first.lower()}.{last.lower()}@exemple.demo".replace("ï", "i")
                .replace("è", "e")
                .replace("é", "e"),
                "phone": f"06 00 00 00 {created:02d}",
            },
            profile=profile,
            need="Souhaite faire le point sur son projet professionnel (démonstration).",
            consent={"given": True, "method": "in_person"},
            preferred_contact="email",
            consent_operators=["pole-emploi"],
            duplicate_reason="Démonstration",
            now=moment,
        )
        created += 1
        for index, step in enumerate(steps):
            when = moment + timedelta(days=index + 1)
            if step == "expire":
                services.referral_expire(referral_id=referral.pk, now=when)
                continue
            actor, organisation = (
                (sender, sender_org) if step == Action.CANCEL else (receiver, receiver_org)
            )
            services.referral_transition(
                actor=actor,
                organisation=organisation,
                referral_id=referral.pk,
                action=step,
                reason="outside_public" if step == "refuse" else "",
                outcome="project_defined" if step == "close" else "",
                first_appointment_on=when.date() if step == "start" else None,
                to="cheops-idf" if step == "redirect" else "",
                consent={"given": True, "method": "phone"} if step == "redirect" else None,
                message="Réorientation vers le Cap emploi." if step == "redirect" else "",
                now=when,
            )
    if stdout is not None:
        stdout.write(f"referrals.demo: {created} orientation(s) de démonstration créée(s)")
