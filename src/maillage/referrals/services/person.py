"""The person's side: told when referred, and acting from their own link without an account.

Withdrawing consent cancels the referral (a transition row, the reason « retrait du
consentement »), a data request emails the export to the address the referral holds (never to
the page), and a free choice of another operator asks the sender for a new referral.
"""

import json

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from maillage.core.audit import audit_log
from maillage.core.email import email_queue
from maillage.core.errors import Conflict, DomainError
from maillage.core.sms import sms_queue
from maillage.partners.models import Organisation
from maillage.referrals.enums import CONSENT_WITHDRAWN, Action, Side, Status
from maillage.referrals.links import link_touch, person_link_create
from maillage.referrals.models import PersonNotice, Referral
from maillage.referrals.notifications import notify
from maillage.referrals.services.transitions import _move
from maillage.referrals.workflow import WORKFLOW

WITHDRAWN_MESSAGE = "retrait du consentement"


def _notice(referral, *, subject, body, now, html_body=None, attachments=None, key):
    """Write to the person by email, else by SMS; the notice goes in the referral's timeline."""
    if referral.email:
        notice = PersonNotice.objects.create(
            referral=referral, channel="email", subject=subject, created_at=now
        )
        email_queue(
            subject=subject,
            body=body,
            to=[referral.email],
            attachments=attachments,
            dedup_key=f"referral:{referral.pk}:person:{key}",
        )
        return notice
    if referral.phone:
        notice = PersonNotice.objects.create(
            referral=referral, channel="sms", subject=subject, body=body[:600], created_at=now
        )
        sms_queue(notice_id=notice.pk)
        return notice
    return None


def _operator_names(slugs):
    names = dict(Organisation.objects.filter(slug__in=slugs).values_list("slug", "name"))
    return [names[s] for s in slugs if s in names]


def person_notify_sent(*, referral, now=None):
    """When a referral is sent: who will contact them, why, and their personal link."""
    now = now or timezone.now()
    if not referral.contact_person:
        return None
    _link, url = person_link_create(referral=referral, now=now)
    context = {
        "referral": referral,
        "receiver": referral.receiver_organisation,
        "sender": referral.sender_organisation,
        "explanation": (referral.decision or {}).get("explanation") or "",
        "link": url,
    }
    if referral.email:
        body = render_to_string("referrals/email/person_sent.txt", context)
    else:
        body = render_to_string("referrals/sms/person_sent.txt", context).strip()
    return _notice(
        referral,
        subject=f"{referral.receiver_organisation.name} va vous contacter",
        body=body,
        now=now,
        key="sent",
    )


def _locked(referral_id):
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("sender_organisation", "receiver_organisation")
        .get(pk=referral_id)
    )


def _audit(referral, action, *, link, data=None):
    audit_log(
        actor=None,
        action=action,
        obj=referral,
        organisation=referral.receiver_organisation,
        data={"link": link.pk, "via": "person_link", **(data or {})},
    )


@transaction.atomic
def referral_withdraw_consent(*, open_link, now=None):
    """The person withdraws their consent: the referral ends `cancelled`, both sides told."""
    now = now or timezone.now()
    referral = _locked(open_link.referral.pk)
    if not WORKFLOW.can(referral, Action.WITHDRAW, Side.PERSON):
        raise Conflict(
            "Cette orientation est déjà terminée : il n'y a plus rien à annuler.",
            code="wrong_state",
        )
    link_touch(open_link.link, now=now)
    transition = _move(
        referral,
        action=Action.WITHDRAW,
        actor=None,
        side=Side.PERSON,
        now=now,
        reason=CONSENT_WITHDRAWN,
        message=WITHDRAWN_MESSAGE,
        via="person_link",
    )
    _audit(referral, "referrals.person.consent_withdrawn", link=open_link.link)
    text = (
        f"La personne orientée a retiré son consentement : l'orientation n° {referral.pk} "
        f"(de {referral.sender_organisation.name} vers {referral.receiver_organisation.name}) "
        "est annulée. Motif : retrait du consentement."
    )
    for side in (Side.SENDER, Side.RECEIVER):
        notify(
            referral=referral,
            side=side,
            subject=f"Orientation n° {referral.pk} annulée : retrait du consentement",
            text=text,
        )
    _notice(
        referral,
        subject="Votre consentement est retiré",
        body=(
            "Bonjour,\n\nVous avez retiré votre consentement : votre orientation vers "
            f"{referral.receiver_organisation.name} est annulée et les deux opérateurs en sont "
            "informés.\n\n— Maillage\n"
        ),
        now=now,
        key="withdrawn",
    )
    return transition


@transaction.atomic
def person_data_request(*, open_link, now=None):
    """Email the person the data each operator holds about them (the access-request export)."""
    from maillage.referrals.views.data import person_data

    now = now or timezone.now()
    referral = _locked(open_link.referral.pk)
    if not referral.email:
        raise DomainError(
            "Aucune adresse e-mail n'est connue pour vous : demandez vos données directement à "
            f"{referral.receiver_organisation.name} ou à {referral.sender_organisation.name}.",
            code="no_email",
        )
    link_touch(open_link.link, now=now)
    export = {
        "generated_at": now.isoformat(),
        "operators": [
            {
                "organisation": org.name,
                "referrals": person_data(organisation=org, referral=referral),
            }
            for org in (referral.sender_organisation, referral.receiver_organisation)
        ],
    }
    content = json.dumps(export, ensure_ascii=False, indent=2)
    _audit(referral, "referrals.person.data_requested", link=open_link.link)
    return _notice(
        referral,
        subject="Vos données dans Maillage",
        body=(
            "Bonjour,\n\nVous avez demandé les données que les opérateurs du partenariat "
            "détiennent sur vous dans Maillage : elles sont jointes à ce message "
            "(fichier JSON).\n\n— Maillage\n"
        ),
        attachments=[(f"mes-donnees-orientation-{referral.pk}.json", content, "application/json")],
        now=now,
        key=f"data:{now.timestamp():.0f}",
    )


def alternatives_of(referral):
    """The operators the routing proposed besides the receiver (the person's free choice)."""
    decision = referral.decision or {}
    slugs = [decision.get("primary"), *(decision.get("alternatives") or [])]
    slugs = [
        s
        for s in dict.fromkeys(slugs)
        if s and s not in (referral.receiver_organisation.slug, referral.sender_organisation.slug)
    ]
    return list(
        Organisation.objects.filter(slug__in=slugs, is_active=True, accepts_referrals=True)
        .only("slug", "name")
        .order_by("name")
    )


@transaction.atomic
def person_operator_change_request(*, open_link, operator_slug, now=None):
    """The person asks for another operator among the alternatives: the sender is asked."""
    now = now or timezone.now()
    referral = _locked(open_link.referral.pk)
    if referral.status not in (Status.SENT, Status.RECEIVED, Status.ACCEPTED):
        raise Conflict(
            "Votre accompagnement a déjà commencé ou est terminé : parlez-en directement à "
            "votre conseiller ou conseillère.",
            code="wrong_state",
        )
    choice = next((o for o in alternatives_of(referral) if o.slug == operator_slug), None)
    if choice is None:
        raise DomainError("Choisissez un des opérateurs proposés.", field="operator")
    link_touch(open_link.link, now=now)
    _audit(
        referral,
        "referrals.person.operator_requested",
        link=open_link.link,
        data={"operator": choice.slug},
    )
    notify(
        referral=referral,
        side=Side.SENDER,
        subject=f"Orientation n° {referral.pk} : la personne demande un autre opérateur",
        text=(
            f"La personne orientée vers {referral.receiver_organisation.name} (orientation "
            f"n° {referral.pk}) demande à être accompagnée par {choice.name}. C'est son libre "
            "choix : envoyez-lui une nouvelle orientation vers cet opérateur."
        ),
        force_each=True,
    )
    _notice(
        referral,
        subject="Votre demande de changement d'opérateur",
        body=(
            f"Bonjour,\n\nVotre demande d'être accompagné·e par {choice.name} a été transmise "
            f"à {referral.sender_organisation.name}, qui vous a orienté·e.\n\n— Maillage\n"
        ),
        now=now,
        key=f"operator:{choice.slug}",
    )
    return choice
