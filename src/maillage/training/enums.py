"""Vocabularies of cross-training: themes, kinds, audiences, states and their transitions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TrainingTheme(models.TextChoices):
    EMPLOYMENT_MARKET = "marche_emploi", _("Marché de l'emploi")
    TRAINING_MARKET = "marche_formation", _("Marché de la formation")
    SERVICE_OFFER = "offre_service", _("Offre de service d'un opérateur")
    STRATEGY = "strategie", _("Stratégie des partenaires")
    TOOLS = "outils", _("Outils et méthodes")
    IMMERSION = "immersion", _("Immersion chez un autre opérateur")


class ResourceKind(models.TextChoices):
    SHEET = "fiche", _("Fiche")
    GUIDE = "guide", _("Guide")
    TOOL = "outil", _("Outil")
    PRESENTATION = "presentation", _("Présentation")
    STUDY = "etude", _("Étude")
    VIDEO = "video", _("Vidéo")
    OTHER = "autre", _("Autre")


class Audience(models.TextChoices):
    PUBLIC = "public", _("Tout public")
    PARTNERS = "partners", _("Membres du partenariat")
    COMMITTEE = "committee", _("Membres des comités")


class ResourceStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Soumise à validation")
    PUBLISHED = "published", _("Publiée")
    ARCHIVED = "archived", _("Archivée")


class SessionFormat(models.TextChoices):
    IN_PERSON = "in_person", _("Sur place")
    REMOTE = "remote", _("À distance")
    HYBRID = "hybrid", _("Hybride")


class SessionStatus(models.TextChoices):
    DRAFT = "draft", _("En préparation")
    PUBLISHED = "published", _("Ouverte aux inscriptions")
    CANCELLED = "cancelled", _("Annulée")


class EnrolmentStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Inscription confirmée")
    WAITLISTED = "waitlisted", _("Liste d'attente")
    CANCELLED = "cancelled", _("Annulée")


class Attendance(models.TextChoices):
    UNKNOWN = "unknown", _("Non pointé")
    PRESENT = "present", _("Présent ou présente")
    ABSENT = "absent", _("Absent ou absente")
