"""Vocabularies of the partner directory: kinds of organisation, publics, themes, modes."""

from django.db import models


class OrganisationKind(models.TextChoices):
    OPERATOR = "operator", "Opérateur CEP"
    COORDINATION = "coordination", "Coordination"
    GATEWAY = "gateway", "Point d'entrée"


class Public(models.TextChoices):
    PRIVATE_EMPLOYEES = "salaries_prives", "Salariés du privé"
    PUBLIC_AGENTS = "agents_publics", "Agents publics"
    SELF_EMPLOYED = "independants", "Travailleurs indépendants"
    JOB_SEEKERS = "demandeurs_emploi", "Demandeurs d'emploi"
    YOUNG = "jeunes", "Jeunes de 16 à 25 ans"
    DISABILITY = "handicap", "Personnes en situation de handicap"
    CADRES = "cadres", "Cadres"
    TEMP_WORKERS = "interimaires", "Intérimaires"
    CULTURE = "culture", "Culture, médias, spectacle, intermittents"
    HEALTH_SOCIAL = "sanitaire_social", "Sanitaire, social et médico-social privé non lucratif"
    SOCIAL_ECONOMY = "economie_sociale", "Économie sociale, logement social, protection sociale"
    SPECIAL_STATUS = (
        "statuts_particuliers",
        "Salariés à statut (IEG, RATP, SNCF, Banque de France)",
    )
    BANKING_AGRI = "credit_agricole_groupama_msa", "Crédit Agricole, LCL, Groupama, MSA"
    OUTSIDE_REGION = "hors_region", "Personnes résidant hors de la région"
    EVERYONE = "tous_publics", "Tous publics"


class Theme(models.TextChoices):
    CAREER_ADVICE = "conseil", "Conseil en évolution professionnelle"
    TRAINING = "formation", "Formation et financement"
    JOB_SEARCH = "recherche_emploi", "Recherche d'emploi"
    JOB_RETENTION = "maintien_emploi", "Maintien dans l'emploi"
    BUSINESS_CREATION = "creation_entreprise", "Création d'entreprise"
    VAE = "vae", "Validation des acquis de l'expérience"
    TRANSITION = "transition", "Transition et reconversion"


class Mode(models.TextChoices):
    IN_PERSON = "in_person", "Sur place"
    REMOTE = "remote", "À distance (visio)"
    PHONE = "phone", "Par téléphone"


class SignatoryRole(models.TextChoices):
    SIGNATORY = "signatory", "Signataire"
    COORDINATOR = "coordinator", "Coordination"
    SUPPORT = "support", "Appui"


def labels(enum, values):
    """French labels of a list of stored values, unknown values kept as they are."""
    mapping = dict(enum.choices)
    return [mapping.get(value, value) for value in values]


class MobilisationMode(models.TextChoices):
    """How a person asks for an offer: data·inclusion's `modes_mobilisation` codes."""

    EMAIL = "envoyer-un-courriel", "Par e-mail"
    ON_SITE = "se-presenter", "Sur place, sans rendez-vous"
    PHONE = "telephoner", "Par téléphone"
    LINK = "utiliser-lien-mobilisation", "En ligne (formulaire ou prise de rendez-vous)"


class MobilisableBy(models.TextChoices):
    """Who may ask for an offer: data·inclusion's `mobilisable_par` codes."""

    PEOPLE = "usagers", "Les personnes elles-mêmes"
    PROFESSIONALS = "professionnels", "Les professionnels qui les accompagnent"
