"""Meetings of a committee: agenda, attendance, minutes with revisions."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from maillage.governance.enums import (
    AgendaItemKind,
    AttendanceStatus,
    MeetingStatus,
    MinutesStatus,
)
from maillage.governance.models.committees import Committee, CommitteeMember


class Meeting(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField("intitulé", max_length=200)
    starts_at = models.DateTimeField("début", db_index=True)
    ends_at = models.DateTimeField("fin")
    location = models.CharField("lieu", max_length=300, blank=True)
    video_url = models.URLField("lien de visioconférence", blank=True)
    status = models.CharField(
        "état", max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    # The calendar identity: the UID never changes; every update sent raises the SEQUENCE.
    ics_uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ics_sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "réunion"
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["committee", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message="La fin de la réunion doit suivre son début.",
            )
        ]

    def __str__(self):
        return f"{self.committee.code} — {self.title}"

    def get_absolute_url(self):
        return reverse("governance:meeting_detail", args=[self.pk])

    @property
    def calendar_uid(self):
        return f"{self.ics_uid}@maillage"

    @property
    def is_cancelled(self):
        return self.status == MeetingStatus.CANCELLED


class MeetingTransition(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=MeetingStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=MeetingStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.meeting_id}: {self.from_status or '—'} → {self.to_status}"


class AgendaItem(models.Model):
    """A numbered agenda item; sub-items hang under a parent (one level, like OpenSlides)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    position = models.PositiveSmallIntegerField("ordre")
    kind = models.CharField(
        "type", max_length=20, choices=AgendaItemKind.choices, default=AgendaItemKind.REGULAR
    )
    title = models.CharField("intitulé", max_length=300)
    presenter = models.CharField("présenté par", max_length=200, blank=True)
    duration_minutes = models.PositiveSmallIntegerField("durée (minutes)", null=True, blank=True)
    notes = models.TextField("notes", blank=True)
    # The document is a resource of the shared library; title and URL stay for the items
    # written before the library link existed (shown as they were).
    document_resource = models.ForeignKey(
        "training.Resource",
        verbose_name="document de la bibliothèque",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
    )
    document_title = models.CharField("document", max_length=200, blank=True)
    document_url = models.URLField("lien du document", blank=True)
    carry_over = models.BooleanField(
        "à reporter", default=False, help_text="Reprendre ce point à la réunion suivante."
    )
    # Where a pre-filled item came from: the previous item, the action it reviews, the minutes.
    source_item = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_to"
    )
    action = models.ForeignKey(
        "governance.Action", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    minutes_meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "point de l'ordre du jour"
        verbose_name_plural = "points de l'ordre du jour"
        ordering = ["meeting", "parent_id", "position"]
        indexes = [models.Index(fields=["meeting", "parent", "position"])]

    def __str__(self):
        return self.title

    @property
    def document_name(self):
        if self.document_resource_id:
            return self.document_resource.title
        return self.document_title

    @property
    def document_link(self):
        """The document's address: the library page of the resource, or the former URL."""
        if self.document_resource_id:
            return self.document_resource.get_absolute_url()
        return self.document_url


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="+")
    status = models.CharField("présence", max_length=20, choices=AttendanceStatus.choices)
    represented_by = models.CharField("représenté par", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "présence"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once"),
            models.CheckConstraint(
                condition=~Q(status=AttendanceStatus.REPRESENTED) | ~Q(represented_by=""),
                name="attendance_represented_by_someone",
                violation_error_message="Indiquez qui représente le membre.",
            ),
        ]

    def __str__(self):
        return f"{self.member} — {self.get_status_display()}"


class Minutes(models.Model):
    """The minutes of one meeting; `revision` is the optimistic lock of concurrent edits."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    text = models.TextField("compte rendu", blank=True)
    revision = models.PositiveIntegerField(default=0)
    status = models.CharField(
        "état", max_length=20, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_in = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="approved_minutes"
    )

    class Meta:
        verbose_name = "compte rendu"
        verbose_name_plural = "comptes rendus"
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=MinutesStatus.APPROVED) | Q(approved_at__isnull=False),
                name="minutes_approved_has_date",
                violation_error_message="Un compte rendu approuvé porte sa date d'approbation.",
            )
        ]

    def __str__(self):
        return f"Compte rendu — {self.meeting}"

    @property
    def is_frozen(self):
        return self.status == MinutesStatus.APPROVED


class MinutesItem(models.Model):
    """What the minutes say about one agenda item (its decisions and actions link to the item)."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="items")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="minutes_entries"
    )
    text = models.TextField("compte rendu du point", blank=True)

    class Meta:
        verbose_name = "compte rendu d'un point"
        verbose_name_plural = "comptes rendus des points"
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "agenda_item"], name="minutes_item_once_per_agenda_item"
            )
        ]

    def __str__(self):
        return f"{self.minutes_id}: {self.agenda_item}"


class MinutesRevision(models.Model):
    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    # The general notes of this revision (opening, any other business).
    text = models.TextField()
    # Item by item as saved: [{"agenda_item", "number", "title", "text", "decisions",
    # "actions"}] — what the diff between two revisions compares, with `text`.
    items = models.JSONField(default=list, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "number"], name="minutes_revision_unique")
        ]

    def __str__(self):
        return f"Version {self.number}"
