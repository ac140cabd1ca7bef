"""Personal data duties: operator exports (built by the worker), one person's data (access
request)."""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from maillage.accounts.enums import Role
from maillage.accounts.permissions import membership_required
from maillage.core.audit import audit_log
from maillage.core.errors import DomainError
from maillage.referrals import selectors
from maillage.referrals.enums import ExportStatus, Status
from maillage.referrals.models import Message, Transition
from maillage.referrals.services import exports as export_services
from maillage.referrals.views.inbox import BOX_TITLES

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX}
STATUS_LABELS = dict(Status.choices)
# While an export is being prepared its page reloads itself (no JavaScript): seconds.
REFRESH_SECONDS = 5


@require_POST
@membership_required(Role.MANAGER)
def export(request):
    """Ask for an export of the box shown: the worker builds it, the page lists it."""
    export_services.export_request(
        actor=request.user,
        organisation=request.organisation,
        box=request.POST.get("box") or "all",
        status=request.POST.get("status") or None,
        fmt=request.POST.get("format") or "csv",
    )
    messages.success(
        request,
        "Votre export est en préparation. Vous recevrez un e-mail quand il sera prêt ; "
        "vous pouvez quitter cette page.",
    )
    return redirect("referrals:exports")


def _scope(job):
    filters = job.filters or {}
    text = BOX_TITLES.get(filters.get("box"), BOX_TITLES["all"])
    if filters.get("status"):
        text += f", état « {STATUS_LABELS.get(filters['status'], filters['status'])} »"
    return text


@membership_required(Role.MANAGER)
def exports_list(request):
    jobs = list(selectors.exports_of(user=request.user, organisation=request.organisation))
    pending = any(j.status in (ExportStatus.QUEUED, ExportStatus.RUNNING) for j in jobs)
    response = render(
        request,
        "referrals/exports.html",
        {
            "rows": [(job, _scope(job)) for job in jobs],
            "pending": pending,
            "days": settings.MAILLAGE_EXPORT_RETENTION_DAYS,
        },
    )
    if pending:
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


@require_POST
@membership_required(Role.MANAGER)
def export_retry(request, export_id):
    job = selectors.export_get(
        user=request.user, organisation=request.organisation, export_id=export_id, ready=False
    )
    try:
        export_services.export_retry(actor=request.user, job=job)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "L'export est relancé : le worker le reprend dans un instant.")
    return redirect("referrals:exports")


@membership_required(Role.MANAGER)
def export_download(request, export_id):
    job = export_services.export_download(
        actor=request.user, organisation=request.organisation, export_id=export_id
    )
    response = FileResponse(
        export_services.export_open(job),
        as_attachment=True,
        filename=job.filename,
        content_type=CONTENT_TYPES[job.format],
    )
    response["Cache-Control"] = "private, no-store"
    return response


def person_data(*, organisation, referral):
    """Everything this organisation holds about the person of `referral`, as plain data."""
    items = []
    for r in selectors.person_referrals(organisation=organisation, referral=referral):
        history = Transition.objects.filter(referral=r).order_by("created_at", "id")
        notes = Message.objects.filter(
            referral=r, organisation=organisation
        ) | Message.objects.filter(referral=r, internal=False)
        items.append(
            {
                "id": r.pk,
                "from": r.sender_organisation.name,
                "to": r.receiver_organisation.name,
                "status": r.get_status_display(),
                "sent_at": r.sent_at.isoformat(),
                "person": {
                    "first_name": r.first_name,
                    "last_name": r.last_name,
                    "birth_date": r.birth_date.isoformat() if r.birth_date else None,
                    "email": r.email,
                    "phone": r.phone,
                    "preferred_contact": r.preferred_contact,
                },
                "need": r.need,
                "profile": r.profile,
                "consent": {
                    "method": r.get_consent_method_display(),
                    "given_at": r.consent_given_at.isoformat(),
                    "operators": r.consent_operators,
                },
                "history": [
                    {
                        "at": t.created_at.isoformat(),
                        "from": t.from_status,
                        "to": t.to_status,
                        "from_label": str(STATUS_LABELS.get(t.from_status, "")),
                        "to_label": str(STATUS_LABELS.get(t.to_status, t.to_status)),
                        "reason": t.reason,
                        "reason_label": str(t.reason_label()) if t.reason else "",
                        "message": t.message,
                    }
                    for t in history
                ],
                "messages": [
                    {"at": m.created_at.isoformat(), "internal": m.internal, "body": m.body}
                    for m in notes.order_by("created_at", "id").distinct()
                ],
            }
        )
    return items


@membership_required(Role.MANAGER)
def access_request(request, referral_id):
    organisation = request.organisation
    referral = selectors.referral_get(organisation=organisation, referral_id=referral_id)
    items = person_data(organisation=organisation, referral=referral)
    fmt = "json" if request.GET.get("format") == "json" else "html"
    audit_log(
        actor=request.user,
        action="referrals.person.exported",
        obj=referral,
        organisation=organisation,
        data={"format": fmt, "referrals": [i["id"] for i in items]},
    )
    if fmt == "json":
        response = JsonResponse(
            {
                "generated_at": timezone.now().isoformat(),
                "organisation": organisation.name,
                "referrals": items,
            },
            json_dumps_params={"ensure_ascii": False, "indent": 2},
        )
        response["Content-Disposition"] = (
            f'attachment; filename="donnees-orientation-{referral.pk}.json"'
        )
        return response
    return render(
        request,
        "referrals/access_request.html",
        {"referral": referral, "items": items, "generated_at": timezone.now()},
    )
