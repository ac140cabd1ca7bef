"""Committees of a convention (steering, regional technical) and the people who sit on them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from maillage.governance.enums import EDITOR_ROLES, CommitteeKind, MemberRole


class Committee(models.Model):
    slug = models.SlugField("identifiant", max_length=60, unique=True)
    name = models.CharField("nom", max_length=200)
    code = models.CharField("sigle", max_length=12, help_text="Préfixe des décisions.")
    kind = models.CharField("type", max_length=20, choices=CommitteeKind.choices)
    convention = models.ForeignKey(
        "partners.Convention", on_delete=models.PROTECT, related_name="committees"
    )
    mission = models.TextField("mission", blank=True)

    class Meta:
        verbose_name = "comité"
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("governance:committee_detail", args=[self.slug])


class CommitteeMemberQuerySet(models.QuerySet):
    def current(self, day=None):
        day = day or timezone.localdate()
        return self.filter(started_on__lte=day).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=day)
        )


class CommitteeMember(models.Model):
    """A person sitting on a committee for an organisation, with a role and dates."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="committee_seats"
    )
    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, related_name="committee_seats"
    )
    role = models.CharField("rôle", max_length=20, choices=MemberRole.choices)
    started_on = models.DateField("depuis le")
    ended_on = models.DateField("jusqu'au", null=True, blank=True)

    objects = CommitteeMemberQuerySet.as_manager()

    class Meta:
        verbose_name = "membre de comité"
        verbose_name_plural = "membres de comité"
        ordering = ["role", "organisation__name", "user__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "user", "started_on"], name="committee_member_unique_seat"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="committee_member_end_after_start",
                violation_error_message="La fin du mandat doit suivre son début.",
            ),
        ]
        indexes = [models.Index(fields=["user", "committee"])]

    def __str__(self):
        return f"{self.user} ({self.organisation}, {self.get_role_display()})"

    @property
    def is_editor(self):
        return self.role in EDITOR_ROLES

    def is_current_on(self, day=None):
        day = day or timezone.localdate()
        return self.started_on <= day and (self.ended_on is None or day <= self.ended_on)
