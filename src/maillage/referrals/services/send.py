"""Sending a referral: consent, the person's minimum data, the routing kept, duplicates."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from maillage.core.audit import audit_log
from maillage.core.errors import Conflict, DomainError, Forbidden
from maillage.core.scoping import scopes_disabled
from maillage.partners.enums import OrganisationKind
from maillage.partners.models import Organisation, ServiceOffer
from maillage.referrals.enums import (
    OPEN,
    REFOCUS_STATES,
    Action,
    ConsentMethod,
    PreferredContact,
    Side,
    Status,
)
from maillage.referrals.models import Referral, Transition
from maillage.referrals.normalise import age_band, email_key, identity_key, search_name
from maillage.referrals.webhooks import webhooks_dispatch
from maillage.routing.engine import decide as routing_decide
from maillage.routing.engine import known_employer_groups
from maillage.routing.profile import Profile, ProfileError


class DuplicateFound(Conflict):
    """An open referral of the same person exists; the sender may go on with a reason."""

    def __init__(self, message, *, matches):
        super().__init__(message, code="duplicate", field="duplicate_reason")
        self.matches = matches


def receiver_get(slug, *, sender):
    """The operator the person is sent to, or a French error on the `to` field."""
    organisation = Organisation.objects.filter(slug=slug or "").first()
    if organisation is None:
        raise DomainError("Cet opérateur est inconnu.", code="unknown_operator", field="to")
    if not organisation.is_active or not organisation.accepts_referrals:
        raise DomainError(
            f"{organisation.name} ne reçoit pas d'orientations dans Maillage.",
            code="inactive_operator",
            field="to",
        )
    if organisation.pk == sender.pk:
        raise DomainError(
            "Vous ne pouvez pas orienter une personne vers votre propre organisation.",
            code="same_operator",
            field="to",
        )
    return organisation


def profile_decide(profile_data, *, on=None):
    """(clean profile dict, decision dict with primary/alternatives/rule/explanation)."""
    if not isinstance(profile_data, dict):
        raise DomainError("Le profil d'aiguillage est invalide.", code="profile", field="profile")
    try:
        profile = Profile.from_dict(profile_data, employer_groups=known_employer_groups())
    except ProfileError as exc:
        raise DomainError(
            exc.message, code="profile", field=f"profile.{exc.field or ''}".rstrip(".")
        ) from exc
    decision = routing_decide(profile, on=on).as_dict()
    # Defaults (None, False) say nothing: keep the profile as short as the person's answers.
    clean = {k: v for k, v in profile.as_dict().items() if v not in (None, False, "")}
    return clean, decision


def offer_check(offer_id, *, receiver):
    """The receiving operator's active offer the referral asks for, or None."""
    if offer_id in (None, ""):
        return None
    offer = ServiceOffer.objects.filter(
        pk=offer_id if str(offer_id).isdigit() else None, is_active=True
    ).first()
    if offer is None or offer.organisation_id != receiver.pk:
        raise DomainError(
            f"Cette offre n'est pas une offre de {receiver.name} : choisissez-en une de la liste.",
            code="offer",
            field="offer",
        )
    return offer


def previous_check(previous, *, organisation, receiver):
    """ "Orienter ailleurs" starts from a referral this operator sent, refused or expired."""
    if previous is None:
        return None
    if previous.sender_organisation_id != organisation.pk or previous.status not in REFOCUS_STATES:
        raise DomainError(
            "Seule une orientation que vous avez envoyée, refusée ou expirée, s'oriente ailleurs.",
            code="previous",
            field="previous",
        )
    if previous.receiver_organisation_id == receiver.pk:
        raise DomainError(
            f"{receiver.name} a déjà eu cette orientation : choisissez un autre opérateur.",
            code="same_operator",
            field="to",
        )
    return previous


def consent_check(consent):
    consent = consent or {}
    if consent.get("given") is not True:
        raise DomainError(
            "Sans le consentement de la personne, pas d'orientation : recueillez-le d'abord.",
            code="no_consent",
            field="consent.given",
        )
    if consent.get("method") not in ConsentMethod.values:
        raise DomainError(
            "Indiquez comment la personne a donné son consentement.",
            code="consent_method",
            field="consent.method",
        )
    return consent["method"]


def _person_check(person):
    person = {k: (v.strip() if isinstance(v, str) else v) for k, v in (person or {}).items()}
    for field, label in (("first_name", "le prénom"), ("last_name", "le nom")):
        if not person.get(field):
            raise DomainError(f"Indiquez {label} de la personne.", field=f"person.{field}")
    if not person.get("email") and not person.get("phone"):
        raise DomainError(
            "Indiquez au moins un moyen de contact : e-mail ou téléphone.", field="person.email"
        )
    if person.get("email"):
        try:
            validate_email(person["email"])
        except ValidationError as exc:
            raise DomainError(
                "Cette adresse e-mail n'est pas valide.", field="person.email"
            ) from exc
    birth_date = person.get("birth_date")
    if birth_date and (birth_date > date.today() or birth_date.year < 1900):
        raise DomainError("Cette date de naissance n'est pas plausible.", field="person.birth_date")
    return person


def duplicates_find(*, first_name, last_name, birth_date=None, email=""):
    """Open referrals of the same person anywhere in the partnership (name+birth date, email)."""
    keys = Q()
    key = identity_key(first_name, last_name, birth_date)
    if key:
        keys |= Q(identity_key=key)
    if email_key(email):
        keys |= Q(email_key=email_key(email))
    if not keys:
        return []
    with scopes_disabled():  # across the partnership; the message says only operator and date
        return list(
            Referral.objects.filter(keys, status__in=OPEN)
            .select_related("receiver_organisation")
            .order_by("sent_at")[:5]
        )


def duplicate_message(matches):
    # Only the operator and the date: nothing about who sent it or why.
    parts = [
        f"une orientation vers {m.receiver_organisation.name} est ouverte depuis le "
        f"{timezone.localtime(m.sent_at):%d/%m/%Y}"
        for m in matches
    ]
    return "Attention : " + " ; ".join(parts) + ". Pour continuer, indiquez pourquoi."


@transaction.atomic
def referral_send(
    *,
    actor,
    organisation,
    to,
    person,
    profile,
    need,
    consent,
    preferred_contact="",
    consent_operators=(),
    duplicate_reason="",
    redirected_from=None,
    contact_person=True,
    no_contact_reason="",
    offer=None,
    previous=None,
    attachments=(),
    carry_attachments=(),
    now=None,
):
    """Send a person to operator `to` (a slug) for `organisation`, where `actor` works.

    The person is told by email (or SMS) with their own link, unless the sender chose not to
    contact them and said why (`contact_person=False` with `no_contact_reason`).
    `offer`: the id of one of the receiver's service offers; `previous`: the refused or expired
    referral this one redirects ("Orienter ailleurs"), whose `carry_attachments` (ids) are
    copied; `attachments`: uploaded files, checked by content."""
    from maillage.referrals.services.attachments import (
        attachment_add,
        attachment_copy,
        attachments_check,
    )
    from maillage.referrals.services.links import receiver_notify_new
    from maillage.referrals.services.person import person_notify_sent

    now = now or timezone.now()
    if organisation is None or organisation.kind != OrganisationKind.OPERATOR:
        raise Forbidden("Seuls les opérateurs orientent des personnes.", code="not_operator")
    method = consent_check(consent)
    receiver = receiver_get(to, sender=organisation)
    person = _person_check(person)
    if not (need or "").strip():
        raise DomainError("Décrivez le besoin de la personne.", field="need")
    no_contact_reason = (no_contact_reason or "").strip()
    if not contact_person and not no_contact_reason:
        raise DomainError(
            "Pour ne pas contacter la personne, indiquez pourquoi.", field="no_contact_reason"
        )
    if preferred_contact and preferred_contact not in PreferredContact.values:
        raise DomainError("Ce moyen de contact n'existe pas.", field="preferred_contact")
    clean_profile, decision = profile_decide(profile, on=timezone.localdate(now))
    chosen_offer = offer_check(offer, receiver=receiver)
    previous = previous_check(previous, organisation=organisation, receiver=receiver)
    carried = []
    if carry_attachments:
        if previous is None:
            raise DomainError("Aucune orientation précédente.", field="carry_attachments")
        wanted = {str(i) for i in carry_attachments}
        carried = list(previous.attachments.filter(pk__in=[int(i) for i in wanted if i.isdigit()]))
        if len(carried) != len(wanted):
            raise DomainError(
                "Ces pièces jointes ne sont pas celles de l'orientation précédente.",
                field="carry_attachments",
            )
    attachments_check(list(attachments), already=len(carried))
    if redirected_from is None:
        matches = duplicates_find(
            first_name=person["first_name"],
            last_name=person["last_name"],
            birth_date=person.get("birth_date"),
            email=person.get("email", ""),
        )
        if matches and not (duplicate_reason or "").strip():
            raise DuplicateFound(duplicate_message(matches), matches=matches)
    covered = [receiver.slug, *[s for s in consent_operators if s and s != receiver.slug]]
    referral = Referral.objects.create(
        sender_organisation=organisation,
        receiver_organisation=receiver,
        sent_by=actor,
        redirected_from=redirected_from,
        previous=previous,
        offer=chosen_offer,
        status=Status.SENT,
        first_name=person["first_name"],
        last_name=person["last_name"],
        birth_date=person.get("birth_date"),
        email=person.get("email") or "",
        phone=person.get("phone") or "",
        preferred_contact=preferred_contact or "",
        need=need.strip(),
        search_name=search_name(person["first_name"], person["last_name"]),
        identity_key=identity_key(
            person["first_name"], person["last_name"], person.get("birth_date")
        ),
        email_key=email_key(person.get("email")),
        department=str(clean_profile.get("department", ""))[:3],
        age_band=age_band(age=clean_profile.get("age"), birth_date=person.get("birth_date")),
        profile=clean_profile,
        decision=decision,
        free_choice=bool(decision.get("primary")) and decision.get("primary") != receiver.slug,
        consent_method=method,
        consent_given_at=now,
        consent_recorded_by=actor,
        consent_operators=covered,
        duplicate_reason=(duplicate_reason or "").strip(),
        contact_person=bool(contact_person),
        no_contact_reason="" if contact_person else no_contact_reason,
        sent_at=now,
    )
    for source in carried:
        attachment_copy(source=source, referral=referral, actor=actor, organisation=organisation)
    for upload in attachments:
        attachment_add(
            referral=referral, upload=upload, actor=actor, organisation=organisation, now=now
        )
    transition = Transition.objects.create(
        referral=referral,
        action=Action.SEND,
        from_status="",
        to_status=Status.SENT,
        actor=actor,
        side=Side.SENDER,
        message=referral.duplicate_reason,
        created_at=now,
    )
    audit_log(
        actor=actor,
        action="referrals.referral.sent",
        obj=referral,
        organisation=organisation,
        data={
            "to": receiver.slug,
            "duplicate": bool(referral.duplicate_reason),
            **({"offer": chosen_offer.pk} if chosen_offer else {}),
            **({"previous": previous.pk} if previous else {}),
            **({"attachments": len(carried) + len(attachments)} if carried or attachments else {}),
            **({} if contact_person else {"no_contact_reason": no_contact_reason}),
        },
    )
    receiver_notify_new(referral=referral, sender=organisation, now=now)
    person_notify_sent(referral=referral, now=now)
    webhooks_dispatch(referral=referral, event="referral.sent", transition=transition)
    return referral
