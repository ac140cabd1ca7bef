"""Signed links a registrant receives by email: see, cancel, confirm an offer, answer the survey."""

from django.conf import settings
from django.http import Http404
from django.urls import reverse

from maillage.core.scoping import scope_open_for_link, scopes_disabled
from maillage.core.signing import BadLink, make_token, read_token

PURPOSE = "events.registration"


def manage_token(registration):
    # The event id is part of the value: a token cannot be replayed on another registration.
    return make_token([registration.pk, registration.event_id], purpose=PURPOSE)


def manage_path(registration):
    return reverse("events:manage", args=[manage_token(registration)])


def manage_url(registration):
    return settings.SITE_URL + manage_path(registration)


def registration_from_token(token, *, queryset=None):
    """The registration a link points to; BadLink when tampered, Http404 when it is gone."""
    from maillage.events.models import Registration

    value = read_token(token, purpose=PURPOSE)
    try:
        registration_id, event_id = value
    except (TypeError, ValueError) as exc:
        raise BadLink("Ce lien n'est pas valide.") from exc
    # The signed link is the permission: it is read across organisations, then the request
    # reads as the event's lead operator (which sees its registrations).
    with scopes_disabled():
        if queryset is None:
            queryset = Registration.objects.select_related("event")
        registration = queryset.filter(pk=registration_id, event_id=event_id).first()
    if registration is None or registration.anonymised_at is not None:
        raise Http404("Inscription introuvable.")
    scope_open_for_link(organisation=registration.event.lead_organisation)
    return registration
