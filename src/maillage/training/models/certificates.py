"""Certificates of attendance as rows: the token behind the public verification page."""

import secrets

from django.db import models
from django.urls import reverse


def new_token():
    # 32 random bytes, URL-safe: unguessable, and says nothing about the session or the person.
    return secrets.token_urlsafe(32)


class Certificate(models.Model):
    """One certificate per attended registration; the token is the only key of its public page."""

    session = models.ForeignKey(
        "training.TrainingSession", on_delete=models.PROTECT, related_name="certificates"
    )
    registration = models.OneToOneField(
        "events.Registration", on_delete=models.CASCADE, related_name="training_certificate"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    issued_at = models.DateTimeField("délivrée le", auto_now_add=True)

    class Meta:
        verbose_name = "attestation de présence"
        verbose_name_plural = "attestations de présence"

    def __str__(self):
        return f"Attestation {self.pk}"

    def get_absolute_url(self):
        return reverse("training:certificate_verify", args=[self.token])
