"""Roles of a user in an organisation."""

from django.db import models


class Role(models.TextChoices):
    COUNSELLOR = "counsellor", "Conseiller ou conseillère"
    MANAGER = "manager", "Responsable"
    COORDINATOR = "coordinator", "Coordination"
    COMMITTEE_MEMBER = "committee_member", "Membre de comité"


class NotificationPreference(models.TextChoices):
    EACH = "each", "Un e-mail à chaque orientation"
    DIGEST = "digest", "Un récapitulatif quotidien"
    NONE = "none", "Aucun e-mail"
