"""Attach the signed-in user's memberships and the current one (chosen in the session)."""

from maillage.accounts.selectors import active_memberships_of

SESSION_KEY = "maillage_membership_id"


class CurrentMembershipMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.memberships = ()
        request.membership = None
        request.organisation = None
        if request.user.is_authenticated:
            memberships = list(active_memberships_of(request.user))
            chosen = request.session.get(SESSION_KEY)
            current = next((m for m in memberships if m.pk == chosen), None)
            if current is None and memberships:
                current = memberships[0]
            request.memberships = memberships
            request.membership = current
            request.organisation = current.organisation if current else None
        return self.get_response(request)
