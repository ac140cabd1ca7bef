"""Vocabularies of the partner directory: kinds of organisation, publics, themes, modes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    OPERATOR = "operator", _("Opérateur CEP")
    COORDINATION = "coordination", _("Coordination")
    GATEWAY = "gateway", _("Point d'entrée")


class Public(models.TextChoices):
    PRIVATE_EMPLOYEES = "salaries_prives", _("Salariés du privé")
    PUBLIC_AGENTS = "agents_publics", _("Agents publics")
    SELF_EMPLOYED = "independants", _("Travailleurs indépendants")
    JOB_SEEKERS = "demandeurs_emploi", _("Demandeurs d'emploi")
    YOUNG = "jeunes", _("Jeunes de 16 à 25 ans")
    DISABILITY = "handicap", _("Personnes en situation de handicap")
    CADRES = "cadres", _("Cadres")
    TEMP_WORKERS = "interimaires", _("Intérimaires")
    CULTURE = "culture", _("Culture, médias, spectacle, intermittents")
    HEALTH_SOCIAL = "sanitaire_social", _("Sanitaire, social et médico-social privé non lucratif")
    SOCIAL_ECONOMY = "economie_sociale", _("Économie sociale, logement social, protection sociale")
    SPECIAL_STATUS = (
        "statuts_particuliers",
        _("Salariés à statut (IEG, RATP, SNCF, Banque de France)"),
    )
    BANKING_AGRI = "credit_agricole_groupama_msa", _("Crédit Agricole, LCL, Groupama, MSA")
    OUTSIDE_REGION = "hors_region", _("Personnes résidant hors de la région")
    EVERYONE = "tous_publics", _("Tous publics")


class Theme(models.TextChoices):
    CAREER_ADVICE = "conseil", _("Conseil en évolution professionnelle")
    TRAINING = "formation", _("Formation et financement")
    JOB_SEARCH = "recherche_emploi", _("Recherche d'emploi")
    JOB_RETENTION = "maintien_emploi", _("Maintien dans l'emploi")
    BUSINESS_CREATION = "creation_entreprise", _("Création d'entreprise")
    VAE = "vae", _("Validation des acquis de l'expérience")
    TRANSITION = "transition", _("Transition et reconversion")


class Mode(models.TextChoices):
    IN_PERSON = "in_person", _("Sur place")
    REMOTE = "remote", _("À distance (visio)")
    PHONE = "phone", _("Par téléphone")


class SignatoryRole(models.TextChoices):
    SIGNATORY = "signatory", _("Signataire")
    COORDINATOR = "coordinator", _("Coordination")
    SUPPORT = "support", _("Appui")


def labels(enum, values):
    """French labels of a list of stored values, unknown values kept as they are."""
    mapping = dict(enum.choices)
    return [mapping.get(value, value) for value in values]


class MobilisationMode(models.TextChoices):
    """How a person asks for an offer: data·inclusion's `modes_mobilisation` codes."""

    EMAIL = "envoyer-un-courriel", _("Par e-mail")
    ON_SITE = "se-presenter", _("Sur place, sans rendez-vous")
    PHONE = "telephoner", _("Par téléphone")
    LINK = "utiliser-lien-mobilisation", _("En ligne (formulaire ou prise de rendez-vous)")


class MobilisableBy(models.TextChoices):
    """Who may ask for an offer: data·inclusion's `mobilisable_par` codes."""

    PEOPLE = "usagers", _("Les personnes elles-mêmes")
    PROFESSIONALS = "professionnels", _("Les professionnels qui les accompagnent")
