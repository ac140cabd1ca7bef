"""Signed-in area: home per role, organisation switch, members, invitations, preferences."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import LoginView, PasswordResetView
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from maillage.accounts import services
from maillage.accounts.enums import Role
from maillage.accounts.forms import (
    AcceptInvitationForm,
    EmailAuthenticationForm,
    InvitationForm,
    MemberRoleForm,
    PreferencesForm,
    QueuedPasswordResetForm,
)
from maillage.accounts.lockout import range_locked_for
from maillage.accounts.middleware import SESSION_KEY
from maillage.accounts.models import Invitation
from maillage.accounts.permissions import membership_required
from maillage.accounts.selectors import member_get, members_of
from maillage.core.errors import DomainError
from maillage.core.ratelimits import rate_limit, too_many_requests
from maillage.core.signing import BadLink, read_token

MANAGING_ROLES = (Role.MANAGER, Role.COORDINATOR)


@method_decorator(rate_limit("signin"), name="dispatch")
class SignInView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        # Too many failures from this address range: refused before any password is checked.
        seconds = range_locked_for(request)
        if seconds is not None:
            return too_many_requests(
                request, seconds, template="accounts/locked_out.html", context={"range": True}
            )
        return super().post(request, *args, **kwargs)


@method_decorator(rate_limit("password_reset"), name="dispatch")
class QueuedPasswordResetView(PasswordResetView):
    """The reset request: the same page whether the address has an account or not."""

    form_class = QueuedPasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


@membership_required()
def home(request):
    return render(request, "accounts/home.html")


@require_POST
@membership_required()
def switch_organisation(request):
    wanted = request.POST.get("membership")
    membership = next((m for m in request.memberships if str(m.pk) == wanted), None)
    if membership is None:
        raise Http404
    request.session[SESSION_KEY] = membership.pk
    messages.success(request, f"Vous agissez maintenant pour {membership.organisation.name}.")
    return redirect("accounts:home")


@membership_required(*MANAGING_ROLES)
def members(request):
    organisation = request.organisation
    return render(
        request,
        "accounts/members.html",
        {
            "members": members_of(organisation),
            "invitations": organisation.invitations.filter(accepted_at__isnull=True)[:50],
        },
    )


@membership_required(*MANAGING_ROLES)
def member_detail(request, membership_id):
    membership = member_get(organisation=request.organisation, membership_id=membership_id)
    roles = services.roles_allowed_in(request.organisation)
    form = MemberRoleForm(request.POST or None, roles=roles, initial={"role": membership.role})
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "deactivate":
                services.membership_deactivate(actor=request.user, membership=membership)
                messages.success(request, f"{membership.user} n'est plus membre actif.")
                return redirect("accounts:members")
            if action == "reactivate":
                services.membership_reactivate(actor=request.user, membership=membership)
                messages.success(request, f"{membership.user} est de nouveau membre actif.")
                return redirect("accounts:members")
            if form.is_valid():
                services.membership_set_role(
                    actor=request.user, membership=membership, role=form.cleaned_data["role"]
                )
                messages.success(request, "Le rôle a été mis à jour.")
                return redirect("accounts:members")
        except DomainError as error:
            messages.error(request, error.message)
    return render(request, "accounts/member_detail.html", {"member": membership, "form": form})


@membership_required(*MANAGING_ROLES)
def invite(request):
    roles = services.roles_allowed_in(request.organisation)
    form = InvitationForm(request.POST or None, roles=roles)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                actor=request.user, organisation=request.organisation, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, f"Invitation envoyée à {invitation.email}.")
            return redirect("accounts:members")
    return render(request, "accounts/invite.html", {"form": form})


def invitation_accept(request, token):
    from django.conf import settings

    try:
        invitation_id = read_token(
            token,
            purpose=services.INVITATION_PURPOSE,
            max_age=settings.MAILLAGE_INVITATION_DAYS * 86400,
        )
    except BadLink as error:
        return render(
            request, "accounts/invitation_invalid.html", {"reason": str(error)}, status=400
        )
    invitation = get_object_or_404(
        Invitation.objects.select_related("organisation"), pk=invitation_id
    )
    if invitation.accepted_at is not None:
        return render(
            request,
            "accounts/invitation_invalid.html",
            {"reason": "Cette invitation a déjà été acceptée."},
            status=400,
        )
    signed_in = request.user.is_authenticated
    form = None if signed_in else AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST":
        try:
            if signed_in:
                membership = services.invitation_accept(invitation=invitation, user=request.user)
            elif form.is_valid():
                membership = services.invitation_accept(
                    invitation=invitation,
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    password=form.cleaned_data["password1"],
                )
                login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            else:
                membership = None
        except DomainError as error:
            messages.error(request, error.message)
        else:
            if membership is not None:
                request.session[SESSION_KEY] = membership.pk
                messages.success(request, f"Bienvenue dans {invitation.organisation.name}.")
                return redirect("accounts:home")
    return render(
        request, "accounts/invitation_accept.html", {"invitation": invitation, "form": form}
    )


@membership_required()
def preferences(request):
    form = PreferencesForm(
        request.POST or None,
        initial={"notification_preference": request.user.notification_preference},
    )
    if request.method == "POST" and form.is_valid():
        services.user_update_preferences(user=request.user, **form.cleaned_data)
        messages.success(request, "Vos préférences ont été enregistrées.")
        return redirect("accounts:preferences")
    return render(request, "accounts/preferences.html", {"form": form})
