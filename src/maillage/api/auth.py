"""Bearer-token authentication of the API: the token's user, organisation and membership.

Who may call an operation is declared here, on the operation, as views do with
`accounts.permissions.membership_required`: `@role_required(Role.MANAGER, ...)`, or
`@permitted(rule)` where the area's selector decides (`referrals.selectors.boxes_for`).
"""

from functools import wraps

from django.utils import timezone
from ninja.security import HttpBearer

from maillage.accounts.selectors import api_token_authenticate, api_token_membership
from maillage.core.errors import Forbidden
from maillage.core.scoping import scope_activate


class TokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request, token):
        api_token = api_token_authenticate(token)
        if api_token is None:
            return None
        membership = api_token_membership(api_token)
        if membership is None:
            return None
        # Throttle the write: the last-use date is informative, a minute is precise enough.
        now = timezone.now()
        if api_token.last_used_at is None or (now - api_token.last_used_at).total_seconds() > 60:
            type(api_token).objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.api_token = api_token
        request.membership = membership
        request.organisation = membership.organisation
        request.user = api_token.user
        # The rest of the request reads as this organisation (the middleware ends the scope).
        scope_activate(organisation=membership.organisation)
        return api_token


token_auth = TokenAuth()


def permitted(rule, *, message="Votre rôle ne permet pas cette opération."):
    """The operation runs only if `rule(membership, **params)` holds: else 403 with `message`.

    Put it under the router's decorator (and above `@paginated`): the check runs after the
    token is authenticated, before the operation reads anything. The rule is the area's own
    (a selector the pages use too), so that the API and the pages never decide apart.
    """

    def decorator(operation):
        @wraps(operation)
        def wrapped(request, *args, **kwargs):
            if not rule(request.membership, **kwargs):
                raise Forbidden(message)
            return operation(request, *args, **kwargs)

        return wrapped

    return decorator


def role_required(*roles, message="Votre rôle ne permet pas cette opération."):
    """The operation needs one of `roles`: else 403."""
    return permitted(lambda membership, **params: membership.role in roles, message=message)
