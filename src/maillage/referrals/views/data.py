"""Personal data duties: operator exports, and one person's data (access request)."""

from django.http import FileResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from maillage.accounts.enums import Role
from maillage.accounts.permissions import membership_required
from maillage.core.audit import audit_log
from maillage.referrals import exports, selectors
from maillage.referrals.enums import Status
from maillage.referrals.models import Message, Transition

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATUS_LABELS = dict(Status.choices)


@membership_required(Role.MANAGER)
def export(request):
    organisation = request.organisation
    box = request.GET.get("box") if request.GET.get("box") in selectors.BOXES else "all"
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    queryset = selectors.inbox(
        organisation=organisation, box=box, status=request.GET.get("status") or None
    ).order_by("sent_at", "id")
    audit_log(
        actor=request.user,
        action="referrals.export",
        organisation=organisation,
        data={"box": box, "format": fmt},
    )
    stamp = timezone.localdate().isoformat()
    filename = f"orientations-{organisation.slug}-{stamp}.{fmt}"
    if fmt == "xlsx":
        return FileResponse(
            exports.xlsx_file(queryset), as_attachment=True, filename=filename, content_type=XLSX
        )
    response = StreamingHttpResponse(
        exports.csv_stream(queryset), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
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
