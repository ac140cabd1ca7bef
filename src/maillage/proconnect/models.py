"""ProConnect: who signed in through the federation, and who asks to join an operator."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ProConnectIdentity(models.Model):
    """The federation's subject for one user, with the last SIRET it gave."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proconnect_identity"
    )
    sub = models.CharField(_("identifiant ProConnect"), max_length=255, unique=True)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("identité ProConnect")
        verbose_name_plural = _("identités ProConnect")

    def __str__(self):
        return f"ProConnect {self.user_id}"


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    APPROVED = "approved", _("Acceptée")
    REFUSED = "refused", _("Refusée")


class MembershipRequest(models.Model):
    """A professional matched to an operator by SIRET or email domain, waiting for a manager."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership_requests"
    )
    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.CASCADE, related_name="membership_requests"
    )
    matched_by = models.CharField(_("rattachement par"), max_length=20)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    status = models.CharField(
        _("état"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("demande d'adhésion")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=Q(status="pending"),
                name="membership_request_one_pending",
            )
        ]
        indexes = [models.Index(fields=["organisation", "status"], name="mreq_org_status")]

    def __str__(self):
        return f"Demande {self.pk}"
