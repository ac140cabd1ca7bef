"""Pages of training sessions: list, publication, detail and enrolment, check-in, certificate."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from maillage.accounts.enums import Role
from maillage.accounts.permissions import membership_required
from maillage.core.errors import DomainError
from maillage.core.parsing import id_parse
from maillage.events.enums import EventStatus, RegistrationStatus
from maillage.events.services import seats_left, waitlist_position
from maillage.training import certificates
from maillage.training.enums import TrainingTheme
from maillage.training.forms.sessions import RatingForm, SessionEditForm, SessionForm
from maillage.training.selectors import certificates as certificate_selectors
from maillage.training.selectors import sessions as selectors
from maillage.training.services import certificates as certificate_services
from maillage.training.services import sessions as services
from maillage.training.views.common import form_error


@membership_required()
def session_list(request):
    period = "past" if request.GET.get("periode") == "passees" else "upcoming"
    theme = request.GET.get("theme") if request.GET.get("theme") in TrainingTheme.values else None
    sessions = selectors.sessions_list(membership=request.membership, theme=theme, period=period)
    return render(
        request,
        "training/sessions/list.html",
        {
            "sessions": sessions,
            "period": period,
            "theme": theme,
            "themes": TrainingTheme.choices,
            "can_publish": request.membership.role in (Role.MANAGER, Role.COORDINATOR),
        },
    )


@membership_required(Role.MANAGER, Role.COORDINATOR)
def session_create(request):
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.session_create(
                actor=request.user,
                membership=request.membership,
                title=data["title"],
                theme=data["theme"],
                hosts=list(data["hosts"]),
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                capacity=data["capacity"],
                venue=data["venue"],
                address=data["address"],
                online_url=data["online_url"],
                summary=data["summary"],
                description=data["description"],
                speakers=data["speakers"],
                objectives=data["objectives"],
                hours=data["hours"],
                quotas=form.quotas(),
                resources=list(data["resources"]),
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, "La session est publiée : les membres peuvent s'inscrire.")
            return redirect(session)
    return render(request, "training/sessions/form.html", {"form": form})


@membership_required(Role.MANAGER, Role.COORDINATOR)
def session_edit(request, pk):
    session = selectors.session_get(membership=request.membership, pk=pk)
    if not services.can_manage(request.membership, session):
        raise Http404
    event = session.event
    initial = {
        "title": event.title,
        "theme": session.theme,
        "starts_at": timezone.localtime(event.starts_at),
        "ends_at": timezone.localtime(event.ends_at),
        "venue": event.venue,
        "address": event.address,
        "online_url": event.online_url,
        "capacity": event.capacity,
        "hours": session.hours,
        "summary": event.summary,
        "description": event.description,
        "objectives": session.objectives,
        "speakers": session.speakers,
        "resources": list(session.resources.all()),
    }
    form = SessionEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        resources = list(data.pop("resources"))
        before = event.ics_sequence
        try:
            session = services.session_update(
                actor=request.user,
                membership=request.membership,
                session=session,
                resources=resources,
                **data,
            )
        except DomainError as error:
            form_error(form, error)
        else:
            if session.event.ics_sequence != before and session.event.status != EventStatus.DRAFT:
                messages.success(
                    request,
                    "Session modifiée : les personnes inscrites reçoivent l'invitation "
                    "mise à jour.",
                )
            else:
                messages.success(request, "Session modifiée.")
            return redirect(session)
    return render(request, "training/sessions/form.html", {"form": form, "session": session})


@membership_required()
def session_detail(request, pk):
    membership = request.membership
    session = selectors.session_get(membership=membership, pk=pk)
    registration = selectors.registration_of(session, request.user)
    is_manager = membership.role == Role.MANAGER
    context = {
        "session": session,
        "event": session.event,
        "registration": registration,
        "position": waitlist_position(registration) if registration else None,
        "seats_left": seats_left(session.event),
        "quotas": list(session.event.quotas.all()),
        "can_check_in": services.can_check_in(membership, session),
        "can_manage": services.can_manage(membership, session),
        "can_enrol": membership.role in services.ENROLLING_ROLES,
        "rating_form": RatingForm(),
        "ended": session.event.ends_at <= timezone.now(),
        "can_cancel_own": selectors.can_cancel_enrolment(registration),
        "certificate_url": certificate_selectors.verify_url_of(registration),
        "can_edit_session": selectors.can_edit_session(session),
    }
    if context["can_manage"] or context["can_check_in"]:
        context["ratings"] = selectors.ratings_summary(session)
    if is_manager:
        enrolled = list(selectors.own_organisation_enrolments(session, membership.organisation))
        enrolled_users = {r.user_id for r in enrolled}
        for enrolment in enrolled:
            enrolment.cancellable = selectors.can_cancel_enrolment(enrolment)
        context["team"] = enrolled
        context["members"] = [
            m for m in services.members_for_enrolment(membership) if m.user_id not in enrolled_users
        ]
    return render(request, "training/sessions/detail.html", context)


@require_POST
@membership_required(*services.ENROLLING_ROLES)
def enrol(request, pk):
    session = selectors.session_get(membership=request.membership, pk=pk)
    member = None
    try:
        member_id = id_parse(request.POST.get("member"), field="member", required=False)
    except DomainError:
        messages.error(request, "Choisissez un membre de votre organisation dans la liste.")
        return redirect(session)
    if member_id:
        # Only the manager's own members are candidates: anyone else is a 404.
        member = get_object_or_404(services.members_for_enrolment(request.membership), pk=member_id)
    try:
        registration = services.enrolment_create(
            actor=request.user, membership=request.membership, session=session, member=member
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(session)
    who = (
        "Vous êtes"
        if member is None or member.user_id == request.user.pk
        else (f"{member.user} est")
    )
    if registration.status == RegistrationStatus.WAITLISTED:
        messages.warning(
            request,
            f"{who} sur liste d'attente (position {waitlist_position(registration)}) : "
            "une place libérée vous sera proposée par e-mail.",
        )
    else:
        messages.success(
            request, f"{who} inscrit·e. L'invitation (avec le fichier .ics) part par e-mail."
        )
    return redirect(session)


@require_POST
@membership_required()
def cancel(request, pk, registration_id):
    session = selectors.session_get(membership=request.membership, pk=pk)
    registration = get_object_or_404(selectors.participants(session), pk=registration_id)
    try:
        services.enrolment_cancel(
            actor=request.user, membership=request.membership, registration=registration
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "L'inscription est annulée ; la place est proposée à la suite.")
    return redirect(session)


@require_POST
@membership_required(Role.MANAGER, Role.COORDINATOR)
def session_cancel(request, pk):
    session = selectors.session_get(membership=request.membership, pk=pk)
    try:
        services.session_cancel(
            actor=request.user,
            membership=request.membership,
            session=session,
            message=request.POST.get("message", ""),
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "La session est annulée ; chaque inscrit est prévenu par e-mail.")
    return redirect(session)


@membership_required()
def checkin(request, pk):
    session = selectors.session_get(membership=request.membership, pk=pk)
    if not services.can_check_in(request.membership, session):
        raise Http404
    if request.method == "POST":
        try:
            registration_id = id_parse(request.POST.get("registration"), field="registration")
        except DomainError:
            messages.error(request, "Choisissez une personne de la liste des inscrits.")
            return redirect("training:session_checkin", pk=session.pk)
        registration = get_object_or_404(selectors.participants(session), pk=registration_id)
        present = request.POST.get("present") == "1"
        try:
            services.attendance_mark(
                actor=request.user,
                membership=request.membership,
                session=session,
                registration=registration,
                present=present,
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            name = f"{registration.first_name} {registration.last_name}".strip()
            messages.success(request, f"{name} : {'présent·e' if present else 'absent·e'}.")
        return redirect("training:session_checkin", pk=session.pk)
    people = list(selectors.participants(session))
    return render(
        request,
        "training/sessions/checkin.html",
        {
            "session": session,
            "people": people,
            "present": sum(1 for p in people if p.status == RegistrationStatus.ATTENDED),
        },
    )


@membership_required()
def certificate(request, pk):
    session = selectors.session_get(membership=request.membership, pk=pk)
    registration = selectors.registration_of(session, request.user)
    # Not enrolled, or not marked present: there is no certificate to give (404).
    if registration is None or registration.status != RegistrationStatus.ATTENDED:
        raise Http404
    certificate = certificate_services.certificate_issue(
        actor=request.user, session=session, registration=registration
    )
    pdf = certificates.certificate_pdf(session, registration, certificate)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="attestation-session-{session.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@membership_required()
def rate(request, pk):
    session = selectors.session_get(membership=request.membership, pk=pk)
    registration = selectors.registration_of(session, request.user)
    if registration is None:
        raise Http404
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez une note de 1 à 5.")
        return redirect(session)
    try:
        services.session_rate(
            actor=request.user,
            registration=registration,
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"],
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Merci pour votre avis.")
    return redirect(session)
