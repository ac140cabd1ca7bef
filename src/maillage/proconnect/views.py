"""ProConnect pages: go to the provider, come back signed in, sign out of both, join requests."""

import logging

import requests
from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import LogoutView
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from joserfc.errors import ClaimError, ExpiredTokenError, JoseError

from maillage.accounts.enums import Role
from maillage.accounts.models import Membership
from maillage.accounts.permissions import membership_required
from maillage.core.errors import DomainError
from maillage.proconnect import client as oidc
from maillage.proconnect import selectors, services

log = logging.getLogger(__name__)

ID_TOKEN_KEY = "proconnect_id_token"
NEXT_KEY = "proconnect_next"
BACKEND = "django.contrib.auth.backends.ModelBackend"


def _fail(request, message):
    messages.error(request, message)
    return redirect("accounts:login")


def start(request):
    """Send the person to ProConnect (state, nonce and PKCE verifier kept in the session)."""
    if not oidc.is_enabled():
        raise Http404("ProConnect n'est pas configuré sur cette instance.")
    wanted = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        request.session[NEXT_KEY] = wanted
    try:
        return oidc.client().authorize_redirect(
            request,
            request.build_absolute_uri(reverse("proconnect:callback")),
            acr_values=settings.PROCONNECT_ACR_VALUES,
        )
    except (requests.RequestException, OAuthError, ValueError):
        log.exception("proconnect discovery failed")
        return _fail(request, "ProConnect est injoignable pour le moment : réessayez plus tard.")


def _token(request):
    """The checked token of this callback, or a French reason to refuse it."""
    try:
        token = oidc.client().authorize_access_token(request)
    except MismatchingStateError as exc:
        raise oidc.SignInFailed(
            "La réponse de ProConnect ne correspond à aucune connexion en cours (paramètre "
            "« state » invalide) : recommencez la connexion."
        ) from exc
    except ExpiredTokenError as exc:
        raise oidc.SignInFailed(
            "Le jeton d'identité de ProConnect a expiré : recommencez la connexion."
        ) from exc
    except ClaimError as exc:
        if exc.claim in ("aud", "azp"):
            raise oidc.SignInFailed(
                "Le jeton d'identité de ProConnect était destiné à un autre service : "
                "connexion refusée."
            ) from exc
        raise oidc.SignInFailed(
            f"Le jeton d'identité de ProConnect n'est pas valide ({exc.claim}) : connexion refusée."
        ) from exc
    except JoseError as exc:
        raise oidc.SignInFailed(
            "Le jeton d'identité de ProConnect n'a pas pu être vérifié : connexion refusée."
        ) from exc
    except OAuthError as exc:
        if exc.error == "access_denied":
            raise oidc.SignInFailed("Vous avez annulé la connexion avec ProConnect.") from exc
        raise oidc.SignInFailed(
            "ProConnect a refusé la connexion : recommencez, ou connectez-vous avec votre mot "
            "de passe."
        ) from exc
    except requests.RequestException as exc:
        raise oidc.SignInFailed(
            "ProConnect est injoignable pour le moment : réessayez plus tard."
        ) from exc
    if "userinfo" not in token:
        raise oidc.SignInFailed("ProConnect n'a pas transmis de jeton d'identité.")
    return token


def callback(request):
    if not oidc.is_enabled():
        raise Http404("ProConnect n'est pas configuré sur cette instance.")
    try:
        token = _token(request)
        id_claims = token["userinfo"]
        try:
            claims = oidc.userinfo(token)
        except (JoseError, requests.RequestException, ValueError) as exc:
            raise oidc.SignInFailed(
                "Les informations transmises par ProConnect n'ont pas pu être vérifiées."
            ) from exc
        if str(claims.get("sub")) != str(id_claims.get("sub")):
            raise oidc.SignInFailed(
                "Les informations de ProConnect ne concernent pas la même personne."
            )
        result = services.proconnect_sign_in(claims=claims)
    except oidc.SignInFailed as exc:
        return _fail(request, str(exc))
    except DomainError as exc:
        return _fail(request, exc.message)
    wanted = request.session.pop(NEXT_KEY, "")
    login(request, result.user, backend=BACKEND)
    request.session[ID_TOKEN_KEY] = token["id_token"]
    for organisation in result.joined:
        messages.success(request, f"Vous avez rejoint {organisation.name}.")
    if not Membership.objects.active().filter(user=result.user).exists():
        return redirect("proconnect:pending")
    return redirect(wanted or settings.LOGIN_REDIRECT_URL)


class SignOutView(LogoutView):
    """Sign out of Maillage and, for a ProConnect session, of ProConnect too."""

    def post(self, request, *args, **kwargs):
        id_token = request.session.get(ID_TOKEN_KEY)
        response = super().post(request, *args, **kwargs)
        if not id_token or not oidc.is_enabled():
            return response
        try:
            return oidc.client().logout_redirect(
                request,
                post_logout_redirect_uri=request.build_absolute_uri(
                    reverse("proconnect:signed_out")
                ),
                id_token_hint=id_token,
            )
        except (requests.RequestException, RuntimeError):
            messages.warning(
                request,
                "Vous êtes déconnecté de Maillage, mais ProConnect n'a pas pu être joint : "
                "fermez votre navigateur pour clore la session ProConnect.",
            )
            return response


def signed_out(request):
    try:
        oidc.client().validate_logout_response(request)
    except OAuthError:
        messages.warning(request, "Vous êtes déconnecté de Maillage.")
    else:
        messages.success(request, "Vous êtes déconnecté de Maillage et de ProConnect.")
    return redirect(settings.LOGOUT_REDIRECT_URL)


def pending(request):
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    if request.membership is not None:
        return redirect("accounts:home")
    return render(
        request,
        "proconnect/pending.html",
        {"requests": selectors.requests_of_user(request.user)},
    )


@membership_required(Role.MANAGER)
def requests_list(request):
    return render(
        request,
        "proconnect/requests.html",
        {"requests": selectors.pending_requests(organisation=request.organisation)},
    )


@require_POST
@membership_required(Role.MANAGER)
def request_decide(request, request_id):
    decision = request.POST.get("decision")
    try:
        if decision == "approve":
            membership = services.membership_request_approve(
                actor=request.user,
                organisation=request.organisation,
                request_id=request_id,
                role=request.POST.get("role") or Role.COUNSELLOR,
            )
            messages.success(request, f"{membership.user} est maintenant membre.")
        elif decision == "refuse":
            services.membership_request_refuse(
                actor=request.user, organisation=request.organisation, request_id=request_id
            )
            messages.success(request, "La demande est refusée.")
        else:
            messages.error(request, "Choisissez d'accepter ou de refuser la demande.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("proconnect:requests")
