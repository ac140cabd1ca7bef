"""Managers register their system's webhooks and read the delivery log."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.shortcuts import get_object_or_404, redirect, render

from maillage.accounts.enums import Role
from maillage.accounts.permissions import membership_required
from maillage.core.audit import audit_log
from maillage.referrals.models import Webhook, WebhookDelivery


@membership_required(Role.MANAGER)
def webhooks(request):
    organisation = request.organisation
    error = None
    if request.method == "POST":
        if request.POST.get("deactivate"):
            hook = get_object_or_404(
                Webhook, organisation=organisation, pk=request.POST["deactivate"]
            )
            Webhook.objects.filter(pk=hook.pk).update(is_active=False)
            audit_log(
                actor=request.user,
                action="referrals.webhook.deactivated",
                obj=hook,
                organisation=organisation,
            )
            messages.success(request, "Le webhook est désactivé.")
            return redirect("referrals:webhooks")
        url = request.POST.get("url", "").strip()
        secret = request.POST.get("secret", "").strip()
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            error = "Indiquez une adresse web complète (https://…)."
        if not error and len(secret) < 16:
            error = "Le secret doit compter au moins 16 caractères."
        if not error:
            hook = Webhook.objects.create(
                organisation=organisation, url=url, secret=secret, created_by=request.user
            )
            audit_log(
                actor=request.user,
                action="referrals.webhook.created",
                obj=hook,
                organisation=organisation,
            )
            messages.success(request, "Le webhook est enregistré.")
            return redirect("referrals:webhooks")
    hooks = Webhook.objects.filter(organisation=organisation)
    deliveries = (
        WebhookDelivery.objects.filter(webhook__organisation=organisation)
        .select_related("webhook")
        .order_by("-created_at", "-id")[:50]
    )
    return render(
        request,
        "referrals/webhooks.html",
        {"hooks": hooks, "deliveries": deliveries, "error": error},
        status=400 if error else 200,
    )
