"""The decisions register and the actions that follow from it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from maillage.governance.enums import (
    ACTION_OPEN_STATUSES,
    ActionStatus,
    DecisionStatus,
    ReminderKind,
)
from maillage.governance.models.committees import Committee
from maillage.governance.models.meetings import AgendaItem, Meeting


class Decision(models.Model):
    """A decision numbered per committee and year (`COPIL-2019-03`)."""

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="decisions")
    year = models.PositiveSmallIntegerField("année")
    sequence = models.PositiveIntegerField("numéro d'ordre")
    reference = models.CharField("référence", max_length=40, unique=True)
    title = models.CharField("intitulé", max_length=300)
    text = models.TextField("texte", blank=True)
    status = models.CharField(
        "état", max_length=20, choices=DecisionStatus.choices, default=DecisionStatus.PROPOSED
    )
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    decided_on = models.DateField("date")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "décision"
        ordering = ["committee", "-year", "-sequence"]
        constraints = [
            # The last guard of numbering under concurrency (the service also locks the committee).
            models.UniqueConstraint(
                fields=["committee", "year", "sequence"], name="decision_unique_number"
            )
        ]

    def __str__(self):
        return f"{self.reference} — {self.title}"

    def get_absolute_url(self):
        return reverse("governance:decision_detail", args=[self.pk])


class DecisionTransition(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=DecisionStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=DecisionStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.decision_id}: {self.from_status or '—'} → {self.to_status}"


class ActionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=ACTION_OPEN_STATUSES)

    def overdue(self, day=None):
        day = day or timezone.localdate()
        return self.open().filter(due_on__lt=day)


class Action(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="actions")
    title = models.CharField("intitulé", max_length=300)
    description = models.TextField("description", blank=True)
    owner_organisation = models.ForeignKey(
        "partners.Organisation",
        verbose_name="organisation responsable",
        on_delete=models.PROTECT,
        related_name="governance_actions",
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="personne responsable",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="governance_actions",
    )
    due_on = models.DateField("échéance")
    status = models.CharField(
        "état", max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    progress = models.PositiveSmallIntegerField("avancement (%)", default=0)
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    # The agenda item whose discussion created the action (the minutes list it there).
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_on = models.DateField(null=True, blank=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = "action"
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["committee", "status", "due_on"]),
            models.Index(fields=["owner_organisation", "status", "due_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100),
                name="action_progress_at_most_100",
                violation_error_message="L'avancement ne peut dépasser 100 %.",
            ),
            models.CheckConstraint(
                condition=~Q(status=ActionStatus.DONE) | Q(progress=100),
                name="action_done_is_100",
                violation_error_message="Une action terminée est avancée à 100 %.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("governance:action_detail", args=[self.pk])

    @property
    def is_open(self):
        return self.status in ACTION_OPEN_STATUSES

    def is_overdue(self, day=None):
        return self.is_open and self.due_on < (day or timezone.localdate())


class ActionUpdate(models.Model):
    """One line of an action's timeline: who changed what, when, with a note."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    from_status = models.CharField(max_length=20, choices=ActionStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ActionStatus.choices)
    progress = models.PositiveSmallIntegerField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.action_id}: {self.to_status} {self.progress} %"


class ActionReminder(models.Model):
    """A reminder sent for one due date: the unique row makes the worker's job idempotent."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    due_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["action", "kind", "due_on"], name="action_reminder_once_per_due_date"
            )
        ]

    def __str__(self):
        return f"{self.action_id}: {self.kind} ({self.due_on:%d/%m/%Y})"
