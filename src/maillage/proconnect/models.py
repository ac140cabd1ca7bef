"""ProConnect: who signed in through the federation, and who asks to join an operator."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class ProConnectIdentity(models.Model):
    """The federation's subject for one user, with the last SIRET it gave."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proconnect_identity"
    )
    sub = models.CharField("identifiant ProConnect", max_length=255, unique=True)
    siret = models.CharField("SIRET", max_length=14, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "identité ProConnect"
        verbose_name_plural = "identités ProConnect"

    def __str__(self):
        return f"ProConnect {self.user_id}"


class RequestStatus(models.TextChoices):
    PENDING = "pending", "En attente"
    APPROVED = "approved", "Acceptée"
    REFUSED = "refused", "Refusée"


class MembershipRequest(models.Model):
    """A professional matched to an operator by SIRET or email domain, waiting for a manager."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership_requests"
    )
    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.CASCADE, related_name="membership_requests"
    )
    matched_by = models.CharField("rattachement par", max_length=20)
    siret = models.CharField("SIRET", max_length=14, blank=True)
    status = models.CharField(
        "état", max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "demande d'adhésion"
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=Q(status=RequestStatus.PENDING),
                name="membership_request_one_pending",
            )
        ]
        indexes = [models.Index(fields=["organisation", "status"], name="mreq_org_status")]

    def __str__(self):
        return f"Demande {self.pk}"
