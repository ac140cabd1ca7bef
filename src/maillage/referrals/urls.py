from django.urls import path

from maillage.referrals.views import (
    attachments,
    by_link,
    create,
    data,
    detail,
    inbox,
    person,
    webhooks,
)

app_name = "referrals"
urlpatterns = [
    path("orientations/", inbox.inbox, name="inbox"),
    path("orientations/nouvelle/", create.create, name="create"),
    path("orientations/export/", data.export, name="export"),
    path("orientations/exports/", data.exports_list, name="exports"),
    path(
        "orientations/exports/<int:export_id>/telecharger/",
        data.export_download,
        name="export_download",
    ),
    path("orientations/exports/<int:export_id>/relancer/", data.export_retry, name="export_retry"),
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
    path(
        "orientations/<int:referral_id>/pieces-jointes/<int:attachment_id>/",
        attachments.download,
        name="attachment",
    ),
    path("orientations/<int:referral_id>/donnees/", data.access_request, name="access_request"),
    path("orientations/<int:referral_id>/lien/<str:token>/", by_link.by_link, name="by_link"),
    path(
        "orientations/<int:referral_id>/liens/<int:link_id>/desactiver/",
        by_link.link_revoke,
        name="link_revoke",
    ),
    path("mon-orientation/<str:token>/", person.person, name="person"),
]
