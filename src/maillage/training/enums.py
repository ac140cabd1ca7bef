"""Vocabularies of cross-training: themes, kinds, audiences, states and their transitions."""

from django.db import models


class TrainingTheme(models.TextChoices):
    EMPLOYMENT_MARKET = "marche_emploi", "Marché de l'emploi"
    TRAINING_MARKET = "marche_formation", "Marché de la formation"
    SERVICE_OFFER = "offre_service", "Offre de service d'un opérateur"
    STRATEGY = "strategie", "Stratégie des partenaires"
    TOOLS = "outils", "Outils et méthodes"
    IMMERSION = "immersion", "Immersion chez un autre opérateur"


class ResourceKind(models.TextChoices):
    SHEET = "fiche", "Fiche"
    GUIDE = "guide", "Guide"
    TOOL = "outil", "Outil"
    PRESENTATION = "presentation", "Présentation"
    STUDY = "etude", "Étude"
    VIDEO = "video", "Vidéo"
    OTHER = "autre", "Autre"


class Audience(models.TextChoices):
    PUBLIC = "public", "Tout public"
    PARTNERS = "partners", "Membres du partenariat"
    COMMITTEE = "committee", "Membres des comités"


class ResourceStatus(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    SUBMITTED = "submitted", "Soumise à validation"
    PUBLISHED = "published", "Publiée"
    ARCHIVED = "archived", "Archivée"


class SessionFormat(models.TextChoices):
    IN_PERSON = "in_person", "Sur place"
    REMOTE = "remote", "À distance"
    HYBRID = "hybrid", "Hybride"


class SessionStatus(models.TextChoices):
    DRAFT = "draft", "En préparation"
    PUBLISHED = "published", "Ouverte aux inscriptions"
    CANCELLED = "cancelled", "Annulée"


class EnrolmentStatus(models.TextChoices):
    CONFIRMED = "confirmed", "Inscription confirmée"
    WAITLISTED = "waitlisted", "Liste d'attente"
    CANCELLED = "cancelled", "Annulée"


class Attendance(models.TextChoices):
    UNKNOWN = "unknown", "Non pointé"
    PRESENT = "present", "Présent ou présente"
    ABSENT = "absent", "Absent ou absente"
