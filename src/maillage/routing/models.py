"""Routing data: the editable rules and lists, each published revision, anonymous counts."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from maillage.routing.enums import Channel, ListKind, RevisionSource, RuleKind


class RuleList(models.Model):
    """A reference list the rules name: IDF departments, employer groups, IDCC of a sector."""

    key = models.SlugField("clé", max_length=60, unique=True)
    kind = models.CharField("type", max_length=20, choices=ListKind.choices)
    label = models.CharField("libellé", max_length=200)
    items = models.JSONField("valeurs", default=list, blank=True)  # [{"value", "label"}]
    # Outside its dates a list is empty for the rules that name it (a sector list ends with
    # the sector operator's mandate, without editing each rule).
    valid_from = models.DateField("en vigueur du", null=True, blank=True)
    valid_until = models.DateField("en vigueur jusqu'au", null=True, blank=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "liste de référence"
        verbose_name_plural = "listes de référence"
        ordering = ["kind", "key"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="routing_rulelist_dates_ordered",
                violation_error_message="La date de fin précède la date de début.",
            )
        ]

    def __str__(self):
        return self.label

    def as_snapshot(self):
        snapshot = {"key": self.key, "kind": self.kind, "label": self.label, "items": self.items}
        # Undated lists keep the shape of the snapshots published before lists had dates.
        if self.valid_from:
            snapshot["valid_from"] = self.valid_from.isoformat()
        if self.valid_until:
            snapshot["valid_until"] = self.valid_until.isoformat()
        return snapshot


class Rule(models.Model):
    """One dated routing rule; the working copy of what the latest revision published."""

    rule_id = models.CharField("identifiant", max_length=20, unique=True)
    order = models.IntegerField("ordre")
    kind = models.CharField(
        "type", max_length=20, choices=RuleKind.choices, default=RuleKind.PRIMARY
    )
    target = models.ForeignKey(
        "partners.Organisation",
        verbose_name="opérateur suggéré",
        on_delete=models.PROTECT,
        related_name="routing_rules",
    )
    valid_from = models.DateField("en vigueur du", null=True, blank=True)
    valid_until = models.DateField("en vigueur jusqu'au", null=True, blank=True)
    conditions = models.JSONField("conditions", default=list, blank=True)
    explanation = models.TextField("explication")
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "règle d'aiguillage"
        verbose_name_plural = "règles d'aiguillage"
        ordering = ["order", "rule_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="routing_rule_dates_ordered",
                violation_error_message="La date de fin précède la date de début.",
            )
        ]

    def __str__(self):
        return f"{self.rule_id} → {self.target_id}"

    def as_snapshot(self):
        return {
            "id": self.rule_id,
            "order": self.order,
            "kind": self.kind,
            "target": self.target.slug,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "when": self.conditions,
            "explanation": self.explanation,
        }


class RuleSetRevision(models.Model):
    """A published rule set: the full snapshot, who published it, and what changed."""

    created_at = models.DateTimeField("publiée le", auto_now_add=True, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField("origine", max_length=20, choices=RevisionSource.choices)
    comment = models.CharField("motif", max_length=300, blank=True)
    # Each process compares this token with its compiled copy: a new token means recompile.
    token = models.UUIDField(default=uuid.uuid4, editable=False)
    snapshot = models.JSONField("règles et listes")
    changes = models.JSONField("changements", default=list, blank=True)

    class Meta:
        verbose_name = "révision des règles"
        verbose_name_plural = "révisions des règles"
        ordering = ["-id"]

    def __str__(self):
        return f"Révision {self.pk} du {self.created_at:%d/%m/%Y %H:%M}"


class DecisionCount(models.Model):
    """Anonymous tally of decisions per day, suggested operator, rule and channel."""

    day = models.DateField("jour")
    primary = models.CharField("opérateur suggéré", max_length=60)
    rule = models.CharField("règle", max_length=20)
    channel = models.CharField("canal", max_length=20, choices=Channel.choices)
    count = models.PositiveIntegerField("nombre", default=0)

    class Meta:
        verbose_name = "décompte de décisions"
        verbose_name_plural = "décomptes de décisions"
        ordering = ["-day", "primary"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "primary", "rule", "channel"], name="routing_count_unique"
            )
        ]

    def __str__(self):
        return f"{self.day} {self.primary} {self.rule} {self.channel}: {self.count}"


class DecisionLog(models.Model):
    """One decision, appended by the request (an INSERT, no lock); the worker folds these rows
    into `DecisionCount` (`decision_counts_fold`) and readers add the rows not folded yet."""

    day = models.DateField("jour")
    primary = models.CharField("opérateur suggéré", max_length=60)
    rule = models.CharField("règle", max_length=20)
    channel = models.CharField("canal", max_length=20, choices=Channel.choices)

    class Meta:
        verbose_name = "décision à décompter"
        verbose_name_plural = "décisions à décompter"

    def __str__(self):
        return f"{self.day} {self.primary} {self.rule} {self.channel}"
