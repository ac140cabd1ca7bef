from django.urls import path

from maillage.referrals.views import create, data, detail, inbox, webhooks

app_name = "referrals"
urlpatterns = [
    path("orientations/", inbox.inbox, name="inbox"),
    path("orientations/nouvelle/", create.create, name="create"),
    path("orientations/export/", data.export, name="export"),
    path("orientations/webhooks/", webhooks.webhooks, name="webhooks"),
    path("orientations/webhooks/<int:webhook_id>/", webhooks.webhook_edit, name="webhook_edit"),
    path(
        "orientations/webhooks/<int:webhook_id>/desactiver/",
        webhooks.webhook_deactivate,
        name="webhook_deactivate",
    ),
    path("orientations/<int:referral_id>/", detail.detail, name="detail"),
    path("orientations/<int:referral_id>/action/", detail.transition, name="transition"),
    path("orientations/<int:referral_id>/confier/", detail.assign, name="assign"),
    path("orientations/<int:referral_id>/messages/", detail.message, name="message"),
    path("orientations/<int:referral_id>/donnees/", data.access_request, name="access_request"),
]
