"""Bearer-token authentication of the API: the token's user, organisation and membership."""

from django.utils import timezone
from ninja.security import HttpBearer

from maillage.accounts.selectors import api_token_authenticate, api_token_membership


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
        return api_token


token_auth = TokenAuth()
