"""Vocabularies of routing: kinds of rule and list, channels of a decision."""

from django.db import models


class RuleKind(models.TextChoices):
    PRIMARY = "primary", "Règle"
    EXCLUSIVE = "exclusive", "Règle exclusive (sans alternative)"
    FALLBACK = "fallback", "Règle par défaut"
    ALTERNATIVE = "alternative", "Alternative seulement"


class ListKind(models.TextChoices):
    DEPARTMENT = "department", "Départements"
    EMPLOYER_GROUP = "employer_group", "Employeurs"
    IDCC = "idcc", "Conventions collectives (IDCC)"


class Channel(models.TextChoices):
    PUBLIC = "public", "Page publique"
    COUNSELLOR = "counsellor", "Espace conseiller"
    API = "api", "API"


class RevisionSource(models.TextChoices):
    REFERENCE = "reference", "Chargement des données de référence"
    EDITOR = "editor", "Modification par la coordination"
