"""Organisers' pages: their events, creation, contributions, reserved seats, check-in."""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from maillage.accounts.enums import Role
from maillage.accounts.permissions import membership_required
from maillage.core import exports
from maillage.core.errors import DomainError
from maillage.core.french import de
from maillage.events import selectors, services
from maillage.events.enums import EventStatus, RegistrationStatus
from maillage.events.forms import ContributionForm, EventForm, QuotaForm, RegistrationForm
from maillage.events.models import Registration
from maillage.events.seats import seats_for
from maillage.events.workflow import EVENT_WF, REGISTRATION_WF
from maillage.partners.models import Organisation

MANAGERS = (Role.MANAGER, Role.COORDINATOR)
TRANSITION_LABELS = {
    EventStatus.PUBLISHED: "Publier",
    EventStatus.REGISTRATION_CLOSED: "Clore les inscriptions",
    EventStatus.HELD: "Marquer comme tenu",
    EventStatus.CANCELLED: "Annuler l'évènement",
}


@membership_required()
def manage_list(request):
    events = selectors.events_managed_by(request.membership)
    return render(
        request,
        "events/manage_list.html",
        {
            "events": events[:200],
            "can_create": request.membership.role in MANAGERS,
            "upcoming": selectors.events_for_counsellor(request.membership)[:50],
        },
    )


@membership_required(*MANAGERS)
def manage_create(request):
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = services.event_create(
                actor=request.user,
                organisation=services.event_lead(
                    membership=request.membership, co_organisers=data.get("co_organisers") or ()
                ),
                questions=form.questions_list(),
                **{k: v for k, v in data.items() if k != "questions"},
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, f"L'évènement « {event.title} » est créé en brouillon.")
            return redirect("events:manage_detail", pk=event.pk)
    return render(request, "events/manage_form.html", {"form": form, "event": None})


def _form_initial(event):
    initial = {name: getattr(event, name) for name in services.EDITABLE_FIELDS}
    initial["department"] = event.department_id
    initial["starts_at"] = timezone.localtime(event.starts_at).strftime("%Y-%m-%dT%H:%M")
    initial["ends_at"] = timezone.localtime(event.ends_at).strftime("%Y-%m-%dT%H:%M")
    for name in ("registration_opens_at", "registration_closes_at"):
        value = getattr(event, name)
        initial[name] = timezone.localtime(value).strftime("%Y-%m-%dT%H:%M") if value else ""
    initial["questions"] = "\n".join(
        q["label"] + (" *" if q.get("required") else "") for q in event.questions
    )
    return initial


@membership_required(*MANAGERS)
def manage_edit(request, pk):
    event = selectors.event_managed_get(request.membership, pk)
    form = EventForm(request.POST or None, initial=_form_initial(event))
    del form.fields["co_organisers"]  # co-organisers are managed on the event's page
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "questions"}
        previous = {q["label"]: q["key"] for q in event.questions}
        fields["questions"] = [
            {**q, "key": previous.get(q["label"], "")} for q in form.questions_list()
        ]
        try:
            services.event_update(actor=request.user, event=event, **fields)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, "L'évènement est mis à jour.")
            return redirect("events:manage_detail", pk=event.pk)
    return render(request, "events/manage_form.html", {"form": form, "event": event})


@membership_required()
def manage_detail(request, pk):
    event = selectors.event_managed_get(request.membership, pk)
    is_manager = request.membership.role in MANAGERS
    transitions = [
        (EVENT_WF.moves[action].target, TRANSITION_LABELS[EVENT_WF.moves[action].target])
        for action in EVENT_WF.available(event, "manager")
    ]
    own = event.organisers.filter(organisation=request.organisation).first()
    registrations = list(selectors.registrations_of(event))
    for registration in registrations:
        # The table decides which rows get a "Annuler l'inscription" link.
        registration.cancellable = REGISTRATION_WF.can(registration, "cancel", "organiser")
    return render(
        request,
        "events/manage_detail.html",
        {
            "event": event,
            "is_manager": is_manager,
            "is_lead": request.membership.role == Role.COORDINATOR
            or event.lead_organisation_id == request.organisation.pk,
            "transitions": sorted(transitions, key=lambda t: list(TRANSITION_LABELS).index(t[0])),
            "counts": selectors.status_counts(event),
            "seats": seats_for(event),
            "credits": selectors.attendance_credits(event),
            "waiting": selectors.waiting_list(event),
            "registrations": registrations,
            "quotas": event.quotas.select_related("organisation"),
            "quota_form": QuotaForm(),
            "contribution_form": ContributionForm(
                initial={
                    "counsellors": own.counsellors,
                    "hours": own.hours,
                    "room": own.room,
                    "stand": own.stand,
                    "material": own.material,
                    "note": own.note,
                }
            )
            if own
            else None,
            "add_organisers": Organisation.objects.filter(is_active=True, kind="operator").exclude(
                pk__in=event.organisers.values("organisation_id")
            ),
        },
    )


@membership_required(*MANAGERS)
@require_POST
def manage_transition(request, pk):
    event = selectors.event_managed_get(request.membership, pk)
    to_status = request.POST.get("to_status", "")
    try:
        if to_status not in EventStatus.values:
            raise DomainError("Cet état n'existe pas.")
        services.event_transition(
            actor=request.user,
            event=event,
            to_status=to_status,
            message=request.POST.get("message", ""),
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"L'évènement est maintenant : {EventStatus(to_status).label}.")
    return redirect("events:manage_detail", pk=event.pk)


@membership_required(*MANAGERS)
@require_POST
def manage_contribution(request, pk):
    event = selectors.event_managed_get(request.membership, pk)
    slug = request.POST.get("organisation") or request.organisation.slug
    organisation = get_object_or_404(Organisation, slug=slug, is_active=True)
    form = ContributionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Vérifiez la contribution : nombres positifs attendus.")
        return redirect("events:manage_detail", pk=event.pk)
    try:
        services.organiser_set(
            actor=request.user, event=event, organisation=organisation, **form.cleaned_data
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Contribution {de(organisation.name)} enregistrée.")
    return redirect("events:manage_detail", pk=event.pk)


@membership_required(*MANAGERS)
@require_POST
def manage_quota(request, pk):
    event = selectors.event_managed_get(request.membership, pk)
    form = QuotaForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez un opérateur et un nombre de places.")
        return redirect("events:manage_detail", pk=event.pk)
    try:
        services.quota_set(actor=request.user, event=event, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Places réservées enregistrées.")
    return redirect("events:manage_detail", pk=event.pk)


@membership_required()
def manage_registration_cancel(request, pk, registration_pk):
    """An organiser cancels one person's registration (GET: the confirmation with a message)."""
    event = selectors.event_managed_get(request.membership, pk)
    registration = get_object_or_404(Registration, event=event, pk=registration_pk)
    if request.method == "POST":
        try:
            services.registration_cancel_by_organiser(
                actor=request.user,
                registration=registration,
                message=request.POST.get("message", ""),
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                f"L'inscription de {registration.full_name} est annulée ; la personne est "
                "prévenue par e-mail.",
            )
        return redirect("events:manage_detail", pk=event.pk)
    return render(
        request,
        "events/registration_cancel.html",
        {"event": event, "registration": registration},
    )


@membership_required()
def manage_export(request, pk):
    """The registrants with their answers, as CSV (default) or XLSX (`?format=xlsx`)."""
    event = selectors.event_managed_get(request.membership, pk)
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    return exports.export_response(
        selectors.registrations_export(event),
        f"inscriptions-evenement-{event.pk}",
        fmt=fmt,
        title="Inscriptions",
        heading=event.title if fmt == "xlsx" else None,
        secret_column=False,
    )


@membership_required()
def manage_checkin(request, pk):
    event = selectors.event_managed_get(request.membership, pk)
    search = (request.GET.get("q") or "").strip()[:100]
    everyone = list(selectors.checkin_list(event))
    people = list(selectors.checkin_list(event, search=search)) if search else everyone
    totals = {
        "expected": len(everyone),
        "present": sum(r.status == RegistrationStatus.ATTENDED for r in everyone),
        "absent": sum(r.status == RegistrationStatus.NO_SHOW for r in everyone),
    }
    totals["unmarked"] = totals["expected"] - totals["present"] - totals["absent"]
    return render(
        request,
        "events/checkin.html",
        {
            "event": event,
            "people": people,
            "search": search,
            "totals": totals,
            "refusal": services.checkin_refusal(event),
        },
    )


@membership_required()
@require_POST
def manage_checkin_mark(request, pk, registration_pk):
    event = selectors.event_managed_get(request.membership, pk)
    registration = get_object_or_404(Registration, event=event, pk=registration_pk)
    present = request.POST.get("present") == "1"
    try:
        services.checkin_mark(actor=request.user, registration=registration, present=present)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"{registration.full_name} : {'présent' if present else 'absent'}."
        )
    search = (request.POST.get("q") or "").strip()[:100]
    query = f"?{urlencode({'q': search})}" if search else ""
    return redirect(
        reverse("events:checkin", args=[event.pk]) + query + f"#inscription-{registration.pk}"
    )


@membership_required()
def register_on_behalf(request, pk):
    """A counsellor registers a person they support; the row records the sending operator."""
    event = get_object_or_404(selectors.events_for_counsellor(request.membership), pk=pk)
    form = RegistrationForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registration, created = services.registration_create(
                event=event,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                phone=data["phone"],
                answers=form.answers(),
                sent_by_organisation=request.organisation,
                sent_by=request.user,
                actor=request.user,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            if not created:
                messages.info(request, "Cette personne était déjà inscrite : rien n'a changé.")
            elif registration.status == RegistrationStatus.CONFIRMED:
                messages.success(request, "Inscription confirmée ; la personne reçoit un e-mail.")
            else:
                messages.success(
                    request,
                    "L'évènement est complet : la personne est en liste d'attente et reçoit "
                    "un e-mail.",
                )
            return redirect("events:manage_list")
    return render(
        request,
        "events/register_on_behalf.html",
        {
            "event": event,
            "form": form,
            "seats_left": seats_for(event).left_for(request.organisation.pk),
        },
    )


@membership_required()
@require_POST
def register_myself(request, pk):
    """A member registers themself (members-only sessions and public events alike)."""
    event = get_object_or_404(selectors.events_for_counsellor(request.membership), pk=pk)
    user = request.user
    try:
        registration, created = services.registration_create(
            event=event,
            first_name=user.first_name or user.email.split("@")[0],
            last_name=user.last_name or "-",
            email=user.email,
            user=user,
            sent_by_organisation=request.organisation,
            sent_by=user,
            actor=user,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if not created:
            messages.info(request, "Vous êtes déjà inscrit·e ; le lien vous a été renvoyé.")
        elif registration.status == RegistrationStatus.CONFIRMED:
            messages.success(request, "Vous êtes inscrit·e ; la confirmation arrive par e-mail.")
        else:
            messages.success(request, "C'est complet : vous êtes en liste d'attente.")
    return redirect(event)
