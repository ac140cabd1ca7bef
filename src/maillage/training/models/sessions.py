"""Cross-training sessions: a members-only event of the events engine, plus what training adds.

Seats, waiting list, quotas, reminders, check-in and ratings live in `events` (Event,
Registration, SeatQuota). A session adds its theme, its host operators (credited in the training
matrix), its speakers, the library resources attached to it and the hours it counts for.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from maillage.training.enums import TrainingTheme


class TrainingSession(models.Model):
    event = models.OneToOneField(
        "events.Event", on_delete=models.PROTECT, related_name="training_session"
    )
    theme = models.CharField("thème", max_length=30, choices=TrainingTheme.choices)
    hosts = models.ManyToManyField(
        "partners.Organisation",
        verbose_name="opérateurs hôtes",
        related_name="hosted_training_sessions",
    )
    speakers = models.TextField("intervenants", blank=True)
    objectives = models.TextField("objectifs", blank=True)
    hours = models.DecimalField("durée de formation (heures)", max_digits=5, decimal_places=1)
    resources = models.ManyToManyField(
        "training.Resource", verbose_name="ressources", blank=True, related_name="sessions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "session de professionnalisation"
        verbose_name_plural = "sessions de professionnalisation"
        ordering = ["event__starts_at", "id"]
        indexes = [models.Index(fields=["theme"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0),
                name="training_session_hours_positive",
                violation_error_message="Une session dure plus de zéro heure.",
            )
        ]

    def __str__(self):
        return self.event.title

    def get_absolute_url(self):
        return reverse("training:session_detail", args=[self.pk])

    @property
    def title(self):
        return self.event.title

    def speakers_list(self):
        return [line.strip() for line in self.speakers.splitlines() if line.strip()]
