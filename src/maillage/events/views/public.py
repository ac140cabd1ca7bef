"""Public pages: the calendar, an event, registration without an account, the signed link."""

from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from maillage.core import ical
from maillage.core.errors import DomainError
from maillage.core.parsing import DATE_MAX, DATE_MIN, int_parse
from maillage.core.ratelimits import rate_limit
from maillage.core.signing import BadLink
from maillage.events import ics, selectors, services
from maillage.events.enums import Audience, EventStatus, RegistrationStatus
from maillage.events.forms import EventFilterForm, RegistrationForm, SurveyForm
from maillage.events.links import registration_from_token
from maillage.events.seats import seats_for


def _month(request):
    """The month shown by the calendar (`mois=AAAA-MM`, 1900–2100), else the current one."""
    try:
        year, month = request.GET.get("mois", "").split("-")
        year = int_parse(year, field="mois", minimum=DATE_MIN.year, maximum=DATE_MAX.year)
        month = int_parse(month, field="mois", minimum=1, maximum=12)
        return date(year, month, 1)
    except (ValueError, TypeError, DomainError):
        return timezone.localdate().replace(day=1)


def event_list(request):
    form = EventFilterForm(request.GET or None)
    filters = {}
    if form.is_bound:
        # A bad filter (a date outside 1900–2100…) shows the form's error; the others apply.
        form.is_valid()
        filters = form.cleaned_data
    view = filters.get("vue") or "liste"
    query = {
        "department": filters["department"].code if filters.get("department") else None,
        "kind": filters.get("kind") or None,
        "organisation": filters["organisation"].slug if filters.get("organisation") else None,
    }
    context = {"form": form, "view": view}
    if view == "calendrier":
        month = _month(request)
        first, last = selectors.month_bounds(month.year, month.month)
        events = selectors.with_seats(
            selectors.events_public(date_from=first, date_to=last, **query)
        )
        previous = (first.replace(day=1) - timedelta(days=1)).replace(day=1)
        following = (last + timedelta(days=1)).replace(day=1)
        params = request.GET.copy()
        params.pop("mois", None)
        context.update(
            month=month,
            weeks=selectors.month_grid(month.year, month.month, events),
            previous=previous,
            following=following,
            params=params.urlencode(),
            events=events,
        )
    else:
        date_from = filters.get("date_from") or timezone.localdate()
        context["events"] = selectors.with_seats(
            selectors.events_public(date_from=date_from, **query)[:200]
        )
        context["date_from"] = date_from
    feed_params = {
        k: v
        for k, v in (("organisation", query["organisation"]), ("department", query["department"]))
        if v
    }
    context["feed_query"] = "&".join(f"{k}={v}" for k, v in feed_params.items())
    return render(request, "events/list.html", context)


def _public_context(event):
    now = timezone.now()
    is_open = (
        event.status == EventStatus.PUBLISHED
        and event.starts_at > now
        and not (
            (event.registration_opens_at and now < event.registration_opens_at)
            or (event.registration_closes_at and now >= event.registration_closes_at)
        )
    )
    return {
        "event": event,
        "seats": seats_for(event),
        "is_open": is_open,
        "not_yet_open": bool(event.registration_opens_at and now < event.registration_opens_at),
        "retention": settings.MAILLAGE_EVENT_RETENTION_MONTHS,
    }


def event_detail(request, pk):
    event = selectors.event_public_get(pk, viewer=request.user)
    context = _public_context(event)
    if event.audience == Audience.PUBLIC:
        context["form"] = RegistrationForm(event=event)
    return render(request, "events/detail.html", context)


@require_POST
@rate_limit("event_registration")
def event_register(request, pk):
    event = selectors.event_registrable_get(pk, viewer=request.user)
    if event.audience != Audience.PUBLIC:
        messages.error(request, "Cet évènement est réservé aux membres du partenariat.")
        return redirect(event)
    form = RegistrationForm(request.POST, event=event)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.registration_create(
                event=event,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                phone=data["phone"],
                answers=form.answers(),
            )
        except DomainError as error:
            if error.field and error.field.replace("answers.", "q_") in form.fields:
                form.add_error(error.field.replace("answers.", "q_"), error.message)
            else:
                form.add_error(None, error.message)
        else:
            # The same answer whether the address was registered or not: the page never tells
            # a stranger who is registered; the email takes the person to their registration.
            messages.info(request, services.REGISTRATION_ANSWER)
            return redirect(event)
    # A refusal shows the whole page again: the event with its organisers this time.
    context = _public_context(selectors.event_public_get(pk, viewer=request.user))
    context["form"] = form
    return render(request, "events/detail.html", context, status=422)


def _registration_or_error(request, token):
    try:
        return registration_from_token(token), None
    except BadLink as error:
        response = render(request, "events/bad_link.html", {"message": str(error)}, status=400)
        return None, response


def registration_manage(request, token):
    registration, error = _registration_or_error(request, token)
    if error:
        return error
    event = registration.event
    now = timezone.now()
    context = {
        "registration": registration,
        "event": event,
        "position": services.waitlist_position(registration),
        "token": token,
        "can_cancel": registration.status
        in (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED, RegistrationStatus.OFFERED)
        and event.starts_at > now,
        "survey_open": event.ends_at <= now
        and registration.status in (RegistrationStatus.ATTENDED, RegistrationStatus.CONFIRMED)
        and registration.survey_answered_at is None,
        "survey_form": SurveyForm(),
        "offer_overdue": registration.status == RegistrationStatus.OFFERED
        and registration.offer_expires_at <= now,
    }
    return render(request, "events/manage.html", context)


@require_POST
def registration_action(request, token, action):
    registration, error = _registration_or_error(request, token)
    if error:
        return error
    try:
        if action == "annuler":
            services.registration_cancel(registration=registration)
            messages.success(
                request, "Votre inscription est annulée. Merci de nous avoir prévenus."
            )
        elif action == "confirmer":
            registration = services.offer_confirm(registration=registration)
            if registration.status == RegistrationStatus.CONFIRMED:
                messages.success(request, "Votre place est confirmée. À bientôt !")
            else:
                messages.error(
                    request,
                    "Le délai pour confirmer cette place est dépassé : elle est passée à la "
                    "personne suivante.",
                )
        elif action == "decliner":
            services.offer_decline(registration=registration)
            messages.success(request, "C'est noté : la place est proposée à la personne suivante.")
        elif action == "avis":
            form = SurveyForm(request.POST)
            if not form.is_valid():
                messages.error(request, "Choisissez une note de 1 à 5.")
            else:
                services.survey_answer(
                    registration=registration,
                    rating=form.cleaned_data["rating"],
                    comment=form.cleaned_data["comment"],
                )
                messages.success(request, "Merci pour votre avis !")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("events:manage", token=token)


def request_url(event):
    return settings.SITE_URL + event.get_absolute_url()


def calendar_feed(request):
    events = selectors.events_public(
        department=request.GET.get("department") or None,
        organisation=request.GET.get("organisation") or None,
        date_from=timezone.localdate() - timedelta(days=90),
    )
    body = ics.feed_bytes(events, name="Évènements du partenariat CEP")
    return ical.http_response(body, filename="evenements.ics", disposition="inline")


def event_ics(request, pk):
    event = selectors.event_public_get(pk, viewer=request.user)
    return ical.http_response(
        ics.feed_bytes([event], name=event.title), filename=f"evenement-{event.pk}.ics"
    )
