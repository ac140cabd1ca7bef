"""Roles of a user in an organisation."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COUNSELLOR = "counsellor", _("Conseiller ou conseillère")
    MANAGER = "manager", _("Responsable")
    COORDINATOR = "coordinator", _("Coordination")
    COMMITTEE_MEMBER = "committee_member", _("Membre de comité")


class NotificationPreference(models.TextChoices):
    EACH = "each", _("Un e-mail à chaque orientation")
    DIGEST = "digest", _("Un récapitulatif quotidien")
    NONE = "none", _("Aucun e-mail")
