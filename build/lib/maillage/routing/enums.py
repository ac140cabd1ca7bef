"""Vocabularies of routing: kinds of rule and list, channels of a decision."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleKind(models.TextChoices):
    PRIMARY = "primary", _("Règle")
    EXCLUSIVE = "exclusive", _("Règle exclusive (sans alternative)")
    FALLBACK = "fallback", _("Règle par défaut")
    ALTERNATIVE = "alternative", _("Alternative seulement")


class ListKind(models.TextChoices):
    DEPARTMENT = "department", _("Départements")
    EMPLOYER_GROUP = "employer_group", _("Employeurs")
    IDCC = "idcc", _("Conventions collectives (IDCC)")


class Channel(models.TextChoices):
    PUBLIC = "public", _("Page publique")
    COUNSELLOR = "counsellor", _("Espace conseiller")
    API = "api", _("API")


class RevisionSource(models.TextChoices):
    REFERENCE = "reference", _("Chargement des données de référence")
    EDITOR = "editor", _("Modification par la coordination")
