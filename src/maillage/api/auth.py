"""Bearer-token authentication of the API: the token's user, organisation and membership.

Who may call an operation is declared here, on the operation, as views do with
`accounts.permissions.membership_required`: `@role_required(Role.MANAGER, ...)`.
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


def role_required(*roles, message="Votre rôle ne permet pas cette opération.", when=None):
    """The operation (or, with `when(**params)`, this use of it) needs one of `roles`: else 403.

    Put it under the router's decorator (and above `@paginated`): the check runs after the
    token is authenticated, before the operation reads anything.
    """

    def decorator(operation):
        @wraps(operation)
        def wrapped(request, *args, **kwargs):
            applies = when is None or when(**kwargs)
            if applies and request.membership.role not in roles:
                raise Forbidden(message)
            return operation(request, *args, **kwargs)

        return wrapped

    return decorator
