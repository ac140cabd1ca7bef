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


# Who may move a resource from one state to another: "owner" = a member of the owner operator,
# "coordinator" = a coordinator of the partnership. Declared once; services read this table.
RESOURCE_TRANSITIONS = {
    ("draft", "submitted"): {"owner", "coordinator"},
    ("submitted", "draft"): {"owner", "coordinator"},
    ("submitted", "published"): {"coordinator"},
    ("published", "archived"): {"owner", "coordinator"},
    ("draft", "archived"): {"owner", "coordinator"},
    ("archived", "draft"): {"owner", "coordinator"},
}

TRANSITION_VERBS = {
    ("draft", "submitted"): "Soumettre à validation",
    ("submitted", "draft"): "Renvoyer en brouillon",
    ("submitted", "published"): "Valider et publier",
    ("published", "archived"): "Archiver",
    ("draft", "archived"): "Archiver",
    ("archived", "draft"): "Remettre en brouillon",
}


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
