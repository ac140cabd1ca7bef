"""Managers register their system's webhooks and read the delivery log (writes: services)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from maillage.accounts.enums import Role
from maillage.accounts.permissions import membership_required
from maillage.core.errors import DomainError
from maillage.referrals import selectors, services
from maillage.referrals.forms import WebhookEditForm, WebhookForm


def _apply(form, call):
    """Run the service if the form is valid; a DomainError becomes the form's error."""
    if not form.is_valid():
        return None
    try:
        return call(form.cleaned_data)
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return None


def _page(request, *, form=None, edited=None, status=200):
    organisation = request.organisation
    hooks = list(selectors.webhooks_of(organisation))
    for hook in hooks:
        hook.form = (
            edited[1]
            if edited and edited[0] == hook.pk
            else WebhookEditForm(initial={"url": hook.url}, prefix=f"hook-{hook.pk}")
        )
    return render(
        request,
        "referrals/webhooks.html",
        {
            "form": form or WebhookForm(),
            "hooks": hooks,
            "deliveries": selectors.deliveries_of(organisation),
        },
        status=status,
    )


@membership_required(Role.MANAGER)
def webhooks(request):
    if request.method != "POST":
        return _page(request)
    form = WebhookForm(request.POST)
    hook = _apply(
        form,
        lambda data: services.webhook_create(membership=request.membership, url=data["url"]),
    )
    if hook is None:
        return _page(request, form=form, status=400)
    messages.success(request, "Le webhook est enregistré. Son secret figure dans la liste.")
    return redirect("referrals:webhooks")


@require_POST
@membership_required(Role.MANAGER)
def webhook_edit(request, webhook_id):
    hook = selectors.webhook_get(organisation=request.organisation, webhook_id=webhook_id)
    form = WebhookEditForm(request.POST, prefix=f"hook-{hook.pk}")
    done = _apply(
        form,
        lambda data: services.webhook_update(
            membership=request.membership,
            webhook_id=hook.pk,
            url=data["url"],
            rotate_secret=data["rotate_secret"],
        ),
    )
    if done is None:
        return _page(request, edited=(hook.pk, form), status=400)
    messages.success(request, "Le webhook est modifié.")
    return redirect("referrals:webhooks")


@require_POST
@membership_required(Role.MANAGER)
def webhook_deactivate(request, webhook_id):
    services.webhook_deactivate(membership=request.membership, webhook_id=webhook_id)
    messages.success(request, "Le webhook est désactivé.")
    return redirect("referrals:webhooks")
