"""Shared models: the audit log written by every service."""

from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """One readable line per write: who did what, on which object, for which organisation."""

    created_at = models.DateTimeField("date", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        verbose_name="organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField("action", max_length=100, db_index=True)
    object_type = models.CharField("type d'objet", max_length=100, blank=True)
    object_id = models.CharField("identifiant d'objet", max_length=64, blank=True)
    object_repr = models.CharField("objet", max_length=200, blank=True)
    data = models.JSONField("données", default=dict, blank=True)

    class Meta:
        verbose_name = "entrée du journal"
        verbose_name_plural = "journal d'audit"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class OutgoingEmail(models.Model):
    """An email accepted for sending (the outbox): the queue carries only its id.

    It is written in the transaction of the change it reports, delivered by the worker under
    its `dedup_key` (a retry never sends a second copy: the Message-ID is the same, and the
    worker skips what is marked sent), and its content is erased once it has left.
    """

    dedup_key = models.CharField("clé de déduplication", max_length=200, unique=True)
    subject = models.CharField("objet", max_length=300)
    body = models.TextField("texte", blank=True)
    html = models.TextField("HTML", blank=True)
    to = models.JSONField("destinataires", default=list)
    reply_to = models.JSONField("répondre à", default=list, blank=True)
    attachments = models.JSONField("pièces jointes", default=list, blank=True)
    headers = models.JSONField("en-têtes", default=dict, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = "e-mail sortant"
        verbose_name_plural = "e-mails sortants"

    def __str__(self):
        return f"{self.dedup_key} ({'envoyé' if self.sent_at else 'en attente'})"
