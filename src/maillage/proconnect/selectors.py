"""Reads of ProConnect join requests, scoped to the manager's organisation or the requester."""

from maillage.proconnect.models import MembershipRequest, RequestStatus


def pending_requests(*, organisation):
    return (
        MembershipRequest.objects.filter(organisation=organisation, status=RequestStatus.PENDING)
        .select_related("user")
        .order_by("created_at", "id")[:200]
    )


def requests_of_user(user):
    return (
        MembershipRequest.objects.filter(user=user)
        .select_related("organisation")
        .order_by("-created_at", "-id")[:20]
    )
