"""The lifecycle of a convention: amendments, renewals, parties joining and leaving, end alerts."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from maillage.governance.enums import AmendmentKind, PartyChangeKind


class ConventionAmendment(models.Model):
    """An amendment (avenant) or a renewal; a renewal may move the convention's end date."""

    convention = models.ForeignKey(
        "partners.Convention", on_delete=models.CASCADE, related_name="amendments"
    )
    kind = models.CharField("type", max_length=20, choices=AmendmentKind.choices)
    number = models.PositiveSmallIntegerField("numéro")
    title = models.CharField("objet", max_length=300)
    summary = models.TextField("résumé", blank=True)
    signed_on = models.DateField("signé le")
    effective_on = models.DateField("en vigueur le")
    new_valid_until = models.DateField("nouvelle fin de validité", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "avenant"
        ordering = ["convention", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "number"], name="amendment_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(effective_on__gte=models.F("signed_on")),
                name="amendment_effective_after_signature",
                violation_error_message="L'entrée en vigueur ne peut précéder la signature.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} n° {self.number} — {self.title}"


class ConventionPartyChange(models.Model):
    """A dated joining or leaving of a party; the signatory row keeps the current dates."""

    convention = models.ForeignKey(
        "partners.Convention", on_delete=models.CASCADE, related_name="party_changes"
    )
    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("type", max_length=10, choices=PartyChangeKind.choices)
    on = models.DateField("date")
    amendment = models.ForeignKey(
        ConventionAmendment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField("motif", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "adhésion ou retrait"
        verbose_name_plural = "adhésions et retraits"
        ordering = ["on", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} de {self.organisation} le {self.on:%d/%m/%Y}"


class ConventionEndAlert(models.Model):
    """One alert sent to coordinators N days before an end date: the row makes it idempotent."""

    convention = models.ForeignKey(
        "partners.Convention", on_delete=models.CASCADE, related_name="end_alerts"
    )
    days_before = models.PositiveSmallIntegerField("jours avant la fin")
    ends_on = models.DateField("fin de validité")
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "alerte de fin de convention"
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "days_before", "ends_on"], name="end_alert_once"
            )
        ]

    def __str__(self):
        return f"{self.convention} — J-{self.days_before}"
