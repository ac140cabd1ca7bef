"""Governance of a convention: its committees (steering, regional technical)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CommitteeKind(models.TextChoices):
    STEERING = "steering", _("Comité de pilotage")
    TECHNICAL = "technical", _("Comité technique")


class Committee(models.Model):
    slug = models.SlugField(_("identifiant"), max_length=60, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    code = models.CharField(_("sigle"), max_length=12, help_text=_("Préfixe des décisions."))
    kind = models.CharField(_("type"), max_length=20, choices=CommitteeKind.choices)
    convention = models.ForeignKey(
        "partners.Convention", on_delete=models.PROTECT, related_name="committees"
    )
    mission = models.TextField(_("mission"), blank=True)

    class Meta:
        verbose_name = _("comité")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name
