"""The person's own page (no account): their referral's status, who holds their data, and
their rights — withdraw consent, get their data by email, choose another operator."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from maillage.core.errors import DomainError
from maillage.core.ratelimits import ALL_METHODS, rate_limit_hit, too_many_requests
from maillage.core.signing import BadLink
from maillage.referrals import links
from maillage.referrals.enums import TERMINAL, Status
from maillage.referrals.services import person as person_services


def _private(response):
    # The token never leaves in a Referer; same-origin keeps the Origin header for CSRF.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def steps_of(referral):
    """The status in plain French, from the referral's own dates (no internal content)."""
    local = timezone.localtime
    receiver = referral.receiver_organisation.name
    steps = [f"Envoyée à {receiver} le {local(referral.sent_at):%d/%m/%Y}."]
    if referral.received_at:
        steps.append(f"Reçue par {receiver} le {local(referral.received_at):%d/%m/%Y}.")
    if referral.accepted_at:
        steps.append(f"Acceptée par {receiver} le {local(referral.accepted_at):%d/%m/%Y}.")
    if referral.first_appointment_on:
        steps.append(f"Premier rendez-vous le {referral.first_appointment_on:%d/%m/%Y}.")
    ended = f" le {local(referral.ended_at):%d/%m/%Y}" if referral.ended_at else ""
    endings = {
        Status.CLOSED: f"Clôturée{ended} : votre accompagnement est terminé.",
        Status.REFUSED: f"Refusée{ended} : {receiver} ne peut pas vous accompagner. "
        f"{referral.sender_organisation.name} vous recontactera.",
        Status.REDIRECTED: f"Réorientée{ended} vers un autre opérateur, qui va vous contacter.",
        Status.CANCELLED: f"Annulée{ended}"
        + (" : vous avez retiré votre consentement." if _withdrawn(referral) else "."),
        Status.EXPIRED: f"Sans réponse de {receiver} dans le délai{ended} : "
        f"{referral.sender_organisation.name} vous recontactera.",
    }
    if referral.status in endings:
        steps.append(endings[referral.status])
    return steps


def _withdrawn(referral):
    return referral.transitions.filter(action="withdraw").exists()


def _page(request, open_link, *, status=200):
    referral = open_link.referral
    context = {
        "referral": referral,
        "status_label": Status(referral.status).label,
        "steps": steps_of(referral),
        "holders": [referral.sender_organisation, referral.receiver_organisation],
        "is_open": referral.status not in TERMINAL,
        "alternatives": person_services.alternatives_of(referral)
        if referral.status in (Status.SENT, Status.RECEIVED, Status.ACCEPTED)
        else [],
        "valid_until": links.person_link_valid_until(referral),
        "retention_months": settings.MAILLAGE_REFERRAL_RETENTION_MONTHS,
    }
    return _private(render(request, "referrals/person/page.html", context, status=status))


@never_cache
def person(request, token):
    seconds = rate_limit_hit(request, "person_link", methods=ALL_METHODS)
    if seconds is not None:
        return _private(
            too_many_requests(request, seconds, template="referrals/person/limited.html")
        )
    try:
        open_link = links.person_link_open(token)
    except BadLink as exc:
        return _private(
            render(
                request,
                "referrals/person/invalid.html",
                {"reason": str(exc)},
                status=links.bad_link_status(str(exc)),
            )
        )
    if request.method != "POST":
        return _page(request, open_link)
    what = request.POST.get("what", "")
    try:
        if what == "withdraw":
            if request.POST.get("confirm") != "1":
                raise DomainError("Cochez la case pour confirmer le retrait de votre consentement.")
            person_services.referral_withdraw_consent(open_link=open_link)
            messages.success(
                request,
                "Votre consentement est retiré : l'orientation est annulée et les deux "
                "opérateurs en sont informés.",
            )
        elif what == "data":
            person_services.person_data_request(open_link=open_link)
            messages.success(
                request,
                "C'est noté : vos données vous sont envoyées par e-mail, à l'adresse que vous "
                "avez donnée à votre conseiller ou conseillère.",
            )
        elif what == "operator":
            choice = person_services.person_operator_change_request(
                open_link=open_link, operator_slug=request.POST.get("operator", "")
            )
            messages.success(
                request,
                f"Votre demande d'être accompagné·e par {choice.name} est transmise à "
                f"{open_link.referral.sender_organisation.name}.",
            )
        else:
            raise DomainError("Cette demande n'existe pas.")
    except DomainError as exc:
        messages.error(request, exc.message)
        open_link.referral.refresh_from_db()
        return _page(request, open_link, status=exc.status_code if exc.status_code == 409 else 400)
    return redirect(request.path)
