"""Downloading a referral's attachment: both sides only, audited, never shown inline."""

from django.http import FileResponse

from maillage.accounts.enums import Role
from maillage.accounts.permissions import membership_required
from maillage.referrals.services.attachments import attachment_download


@membership_required(Role.COUNSELLOR, Role.MANAGER)
def download(request, referral_id, attachment_id):
    attachment = attachment_download(
        actor=request.user,
        organisation=request.organisation,
        referral_id=referral_id,
        attachment_id=attachment_id,
    )
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
    # Whatever the file holds, the browser neither runs nor sniffs it.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
