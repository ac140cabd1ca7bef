"""Demo sites and service offers: invented addresses and contacts, flagged « démonstration ».

Every operator gets one site per department it serves, in a real commune (its INSEE code and
position come from the commune reference); phone numbers are in the range that ARCEP keeps
for fiction (01 99 00 xx xx). Offers are linked to the sites and say how to ask for them.
"""

from maillage.core.reference import upsert
from maillage.partners.enums import MobilisableBy, MobilisationMode, Mode, Theme
from maillage.partners.models import Commune, Organisation, ServiceOffer, Site

# Two real communes per department, alternated between operators (INSEE code, postcode).
COMMUNES = {
    "75": [("75056", "75011"), ("75056", "75013")],
    "77": [("77288", "77000"), ("77284", "77100")],  # Melun, Meaux
    "78": [("78646", "78000"), ("78586", "78500")],  # Versailles, Sartrouville
    "91": [("91228", "91000"), ("91377", "91300")],  # Évry-Courcouronnes, Massy
    "92": [("92050", "92000"), ("92012", "92100")],  # Nanterre, Boulogne-Billancourt
    "93": [("93008", "93000"), ("93066", "93200")],  # Bobigny, Saint-Denis
    "94": [("94028", "94000"), ("94081", "94400")],  # Créteil, Vitry-sur-Seine
    "95": [("95127", "95000"), ("95018", "95100")],  # Cergy, Argenteuil
}
HOURS = "Mo-Fr 09:00-12:30,14:00-17:30; PH off"

# Each operator's own offers, from what it publicly describes (title, description, themes, modes,
# how to ask). Fictional demo rows all the same: flagged « démonstration » like the sites.
IN_PERSON_REMOTE_PHONE = [Mode.IN_PERSON, Mode.REMOTE, Mode.PHONE]
OFFERS = {
    "afdas": [
        (
            "Conseil en évolution professionnelle des intermittents et artistes-auteurs",
            "Un conseiller ou une conseillère de l'Afdas, qui connaît les métiers du spectacle, du "
            "cinéma, de l'audiovisuel, de la presse et de l'édition, vous aide à faire le point "
            "sur votre parcours fait de contrats courts, à valoriser vos compétences et à préparer "
            "une évolution ou une reconversion, y compris vers un métier hors de la culture.",
            [Theme.CAREER_ADVICE, Theme.TRANSITION],
            IN_PERSON_REMOTE_PHONE,
            "Prenez rendez-vous en ligne ou par téléphone ; l'entretien se tient aussi en visio.",
        ),
        (
            "Financer une formation quand on est intermittent du spectacle",
            "Une réunion d'information puis un rendez-vous individuel pour comprendre les droits à "
            "la formation des intermittents et des artistes-auteurs : conditions d'accès selon les "
            "heures ou les revenus déclarés, plan de développement des compétences, compte "
            "personnel de formation, et montage du dossier de financement avec vous.",
            [Theme.TRAINING],
            [Mode.IN_PERSON, Mode.REMOTE],
            "Inscription à la réunion d'information depuis l'espace personnel ou par e-mail.",
        ),
    ],
    "agecif-cama": [
        (
            "Entretien de conseil pour les salariés du Crédit Agricole, de Groupama et de la MSA",
            "Un entretien confidentiel, hors de votre entreprise, pour les salariés des caisses "
            "régionales du Crédit Agricole, de LCL, de Groupama et de la MSA : faire le point sur "
            "votre métier dans la banque, l'assurance ou la protection sociale agricole, repérer "
            "les passerelles internes et externes et préparer un échange avec votre employeur.",
            [Theme.CAREER_ADVICE],
            [Mode.IN_PERSON, Mode.PHONE],
            "Appelez l'accueil ou écrivez-nous : un rendez-vous vous est proposé sous quinze "
            "jours.",
        ),
        (
            "Bilan de compétences des salariés de la banque et de l'assurance mutualistes",
            "Un bilan en trois phases (préliminaire, investigation, conclusion) pour analyser vos "
            "compétences, vos aptitudes et vos motivations, et définir un projet professionnel "
            "réaliste dans votre groupe ou en dehors, avec un document de synthèse qui vous "
            "appartient et que votre employeur ne reçoit pas sans votre accord.",
            [Theme.CAREER_ADVICE, Theme.TRANSITION],
            [Mode.IN_PERSON, Mode.REMOTE],
            "Demande auprès d'un conseiller ou d'une conseillère après un premier entretien.",
        ),
    ],
    "faf-tt": [
        (
            "Sécuriser son parcours d'intérimaire entre deux missions",
            "Pour les intérimaires et les salariés permanents des agences d'emploi : un conseiller "
            "ou une conseillère vous aide à tirer parti de vos missions successives, à identifier "
            "les compétences que vous avez acquises chez plusieurs entreprises utilisatrices et à "
            "viser un contrat durable, un CDI intérimaire ou une qualification reconnue.",
            [Theme.CAREER_ADVICE, Theme.JOB_SEARCH],
            [Mode.PHONE, Mode.REMOTE],
            "Par téléphone, avec vos dernières fiches de paie d'intérim à portée de main.",
        ),
    ],
    "unagecif": [
        (
            "Conseil aux salariés à statut des IEG, de la RATP, de la SNCF et de la Banque de "
            "France",
            "Un accompagnement qui tient compte de votre statut particulier (industries "
            "électriques et gazières, RATP, SNCF, Banque de France) : mobilité interne, "
            "changement de filière, préparation d'un concours ou d'un examen professionnel, et "
            "conséquences d'un départ de l'entreprise sur vos droits statutaires.",
            [Theme.CAREER_ADVICE],
            IN_PERSON_REMOTE_PHONE,
            "Rendez-vous par e-mail ; précisez votre employeur pour être reçu par le bon "
            "conseiller.",
        ),
        (
            "Préparer une reconversion hors du statut",
            "Pour les salariés à statut qui envisagent un autre métier : explorer les secteurs qui "
            "recrutent, mesurer l'écart entre vos compétences et le métier visé, choisir une "
            "formation et préparer un projet de transition professionnelle à présenter à la "
            "commission de Transitions Pro, avec un calendrier compatible avec votre poste.",
            [Theme.TRANSITION, Theme.TRAINING],
            [Mode.IN_PERSON, Mode.REMOTE],
            "Sur orientation de votre conseiller ou conseillère après un premier entretien.",
        ),
    ],
    "unifaf-idf": [
        (
            "Évoluer dans le sanitaire, le social et le médico-social",
            "Pour les salariés des établissements privés non lucratifs (hôpitaux, Ehpad, foyers, "
            "instituts médico-éducatifs…) : découvrir les métiers du secteur et leurs passerelles "
            "(agent de service vers aide-soignant, moniteur-éducateur vers éducateur spécialisé), "
            "les diplômes qui y mènent et les financements mobilisables.",
            [Theme.CAREER_ADVICE, Theme.TRAINING],
            [Mode.IN_PERSON, Mode.PHONE],
            "Prenez rendez-vous par téléphone auprès de l'accueil de votre département.",
        ),
        (
            "Validation des acquis de l'expérience des métiers du soin et de l'accompagnement",
            "Un accompagnement pas à pas de la VAE pour obtenir un diplôme d'État du secteur "
            "(aide-soignant, accompagnant éducatif et social, moniteur-éducateur) à partir de "
            "votre expérience : recevabilité, rédaction du livret, préparation du jury, et "
            "articulation avec votre planning de travail en établissement.",
            [Theme.VAE],
            [Mode.IN_PERSON, Mode.REMOTE],
            "Réunion d'information collective chaque mois ; inscription par e-mail.",
        ),
    ],
    "uniformation-idf": [
        (
            "Conseil aux salariés de l'économie sociale et du logement social",
            "Pour les salariés des associations, des centres sociaux, de l'aide à domicile, des "
            "organismes HLM, des mutuelles et de la sécurité sociale : un entretien pour faire le "
            "point sur votre métier, souvent à temps partiel ou multi-employeurs, et construire "
            "une évolution dans la branche ou vers un autre secteur.",
            [Theme.CAREER_ADVICE],
            IN_PERSON_REMOTE_PHONE,
            "Prenez rendez-vous par téléphone ou en ligne ; un conseiller vous rappelle.",
        ),
    ],
    "arml-idf": [
        (
            "Premier accueil en mission locale : emploi, formation, logement, santé",
            "Pour les jeunes de 16 à 25 ans sortis de l'école : un conseiller ou une conseillère "
            "de la mission locale la plus proche fait le point avec vous sur l'emploi et la "
            "formation, mais aussi sur le logement, la santé, la mobilité et les ressources, et "
            "vous oriente vers les aides auxquelles vous avez droit.",
            [Theme.CAREER_ADVICE, Theme.JOB_SEARCH],
            [Mode.IN_PERSON, Mode.PHONE],
            "Présentez-vous à la mission locale de votre commune ou appelez-la pour un "
            "rendez-vous.",
        ),
        (
            "Contrat d'engagement jeune",
            "Un accompagnement intensif de six à douze mois, avec quinze à vingt heures "
            "d'activités par semaine (ateliers, stages, immersions en entreprise, formation) et "
            "une allocation selon vos ressources, pour les jeunes de 16 à 25 ans (29 ans en "
            "situation de handicap) sans emploi ni formation durable.",
            [Theme.JOB_SEARCH, Theme.TRAINING],
            [Mode.IN_PERSON],
            "Sur décision de votre conseiller ou conseillère de mission locale.",
        ),
    ],
    "cheops-idf": [
        (
            "Premier entretien de conseil avec Cap emploi",
            "Pour les personnes qui ont une reconnaissance de handicap ou qui l'ont demandée : un "
            "conseiller ou une conseillère Cap emploi fait le point avec vous sur votre situation, "
            "votre santé au travail et votre projet, et vous propose un accompagnement vers "
            "l'emploi, la formation ou le maintien dans votre poste.",
            [Theme.CAREER_ADVICE, Theme.JOB_SEARCH],
            IN_PERSON_REMOTE_PHONE,
            "Appelez le Cap emploi de votre département ; l'accueil est accessible à tous.",
        ),
        (
            "Aménager son poste ou changer de métier à cause de sa santé",
            "Quand votre santé ne vous permet plus d'exercer votre métier comme avant : étude de "
            "l'aménagement du poste avec votre employeur et le médecin du travail, aides de "
            "l'Agefiph ou du FIPHFP, et, si le poste ne peut pas être gardé, préparation d'une "
            "reconversion avant un éventuel licenciement pour inaptitude.",
            [Theme.JOB_RETENTION, Theme.TRANSITION],
            [Mode.IN_PERSON, Mode.PHONE],
            "Demande par vous-même, votre employeur ou le médecin du travail.",
        ),
    ],
    "fongecif-idf": [
        (
            "Congé individuel de formation des salariés du privé (jusqu'en 2018)",
            "Le congé individuel de formation permettait aux salariés du privé de suivre une "
            "formation longue en gardant tout ou partie de leur salaire. Il a été remplacé le 1er "
            "janvier 2019 par le projet de transition professionnelle, et le Fongecif a cessé "
            "d'être opérateur CEP le 31 décembre 2019 : cette offre est gardée pour l'historique.",
            [Theme.TRAINING, Theme.TRANSITION],
            [Mode.IN_PERSON],
            "Offre close : depuis 2020, adressez-vous à l'opérateur régional des actifs occupés.",
        ),
    ],
    "pole-emploi": [
        (
            "Accompagnement personnalisé des demandeurs d'emploi",
            "Après votre inscription, un conseiller ou une conseillère référent définit avec vous "
            "votre projet personnalisé d'accès à l'emploi, le type d'accompagnement qui vous "
            "convient (suivi, guidé ou renforcé) et les actions à mener : candidatures, ateliers, "
            "immersion professionnelle, formation.",
            [Theme.JOB_SEARCH, Theme.CAREER_ADVICE],
            IN_PERSON_REMOTE_PHONE,
            "Inscription en ligne, puis rendez-vous avec votre conseiller ou conseillère référent.",
        ),
        (
            "Aide individuelle à la formation des demandeurs d'emploi",
            "Quand la formation qui mène à votre projet n'est pas déjà financée par la Région ou "
            "par votre compte personnel de formation : étude de votre demande, devis de "
            "l'organisme, validation par votre conseiller ou conseillère et prise en charge des "
            "frais pédagogiques, avec une rémunération pendant la formation selon vos droits.",
            [Theme.TRAINING],
            [Mode.REMOTE, Mode.PHONE],
            "Parlez-en à votre conseiller ou conseillère référent au moins un mois avant l'entrée.",
        ),
    ],
    "apec": [
        (
            "Conseil en évolution professionnelle des cadres",
            "Pour les cadres du privé, en poste ou en recherche d'emploi, et les jeunes diplômés "
            "de niveau bac+3 et plus : des entretiens avec un consultant ou une consultante Apec "
            "pour clarifier votre projet, vous positionner sur le marché des cadres et préparer "
            "une évolution, une mobilité ou une reconversion.",
            [Theme.CAREER_ADVICE, Theme.TRANSITION],
            [Mode.REMOTE, Mode.PHONE, Mode.IN_PERSON],
            "Prenez rendez-vous sur le site de l'Apec, depuis votre espace cadre.",
        ),
        (
            "Atelier « Réussir ses entretiens de recrutement »",
            "Un atelier collectif de trois heures, en visio, pour les cadres en recherche d'un "
            "nouveau poste : préparer son pitch, répondre aux questions difficiles, négocier son "
            "salaire et s'entraîner à un entretien filmé, avec des retours personnalisés du "
            "consultant ou de la consultante et des autres participants.",
            [Theme.JOB_SEARCH],
            [Mode.REMOTE],
            "Inscription en ligne ; places limitées à douze participants par atelier.",
        ),
    ],
    "operateur-regional-idf": [
        (
            "Conseil en évolution professionnelle des salariés du privé et des indépendants",
            "Le service régional du conseil en évolution professionnelle des actifs occupés, "
            "financé par France compétences : jusqu'à plusieurs entretiens pour faire le point, "
            "explorer des pistes et bâtir un plan d'action, et l'appui pour préparer un projet de "
            "transition professionnelle financé par Transitions Pro Île-de-France.",
            [Theme.CAREER_ADVICE, Theme.TRANSITION],
            IN_PERSON_REMOTE_PHONE,
            "Prenez rendez-vous par téléphone ou en ligne, en dehors de votre temps de travail.",
        ),
        (
            "Créer ou reprendre une entreprise : vérifier son projet",
            "Pour les salariés qui veulent se mettre à leur compte et les travailleurs "
            "indépendants qui veulent faire évoluer leur activité : un conseiller ou une "
            "conseillère vous aide à tester la cohérence de votre projet, à repérer les formations "
            "utiles et à vous orienter vers les réseaux d'aide à la création.",
            [Theme.BUSINESS_CREATION],
            [Mode.IN_PERSON, Mode.REMOTE],
            "Après un premier entretien de conseil, sur proposition de votre conseiller.",
        ),
    ],
}
# Offers that every operator had in earlier versions of the demo, the same for all: removed.
RETIRED_TITLES = [
    "Premier entretien de conseil en évolution professionnelle",
    "Atelier collectif « Construire son projet de formation »",
]


def offer_description(title, publics_summary):
    """A description long enough for data·inclusion's quality score (200 to 2,000 characters)."""
    return (
        f"{title} : une prestation gratuite du conseil en évolution professionnelle, pour "
        f"{publics_summary[0].lower() + publics_summary[1:] if publics_summary else 'tous'} "
        "Un conseiller ou une conseillère vous reçoit, fait le point avec vous sur votre "
        "situation et vous aide à construire et à suivre votre projet, pas à pas."
    )


def record_upsert(model, lookup, values):
    """Create or update a row, writing (and so moving its date of change) only on a change:
    running the demo again leaves every `date_maj` as it was."""
    upsert(model, lookup, values)
    return model.objects.get(**lookup)


def _sites(organisation, index):
    codes = sorted(organisation.departments.values_list("code", flat=True))
    sites = []
    for code in codes:
        if code not in COMMUNES:
            continue
        insee, postcode = COMMUNES[code][index % 2]
        commune = Commune.objects.filter(pk=insee).first()
        if commune is None:  # the commune reference is not loaded: no demo site there
            continue
        city = commune.name if code != "75" else f"Paris {postcode[-2:].lstrip('0')}e"
        site = record_upsert(
            Site,
            {"organisation": organisation, "name": f"Accueil {city} (démonstration)"},
            {
                "address": f"{10 + index} rue de la Démonstration",
                "postcode": postcode,
                "city": commune.name,
                "commune": commune,
                "department_id": code,
                "latitude": commune.latitude,
                "longitude": commune.longitude,
                "phone": f"+3319900{index:02d}{int(code):02d}",
                "email": f"accueil-{code}@{organisation.slug}.demo",
                "opening_hours": HOURS,
                "is_demo": True,
            },
        )
        sites.append(site)
    # Sites of an earlier demo layout that this one no longer has.
    Site.objects.filter(organisation=organisation, is_demo=True).exclude(
        pk__in=[s.pk for s in sites]
    ).delete()
    return sites


def offer_complete(offer):
    """Link a demo offer to its operator's sites and say how to ask for it (idempotent)."""
    organisation = offer.organisation
    modes = [MobilisationMode.PHONE, MobilisationMode.EMAIL]
    if Mode.IN_PERSON in offer.modes:
        modes.append(MobilisationMode.ON_SITE)
    values = {
        "mobilisation_modes": sorted(str(m) for m in modes),
        "mobilisable_by": sorted([str(MobilisableBy.PEOPLE), str(MobilisableBy.PROFESSIONALS)]),
        "eligibility_departments": sorted(organisation.departments.values_list("code", flat=True)),
        "is_free": True,
    }
    if organisation.website:
        values["mobilisation_url"] = organisation.website
        values["mobilisation_modes"] = sorted(
            [*values["mobilisation_modes"], MobilisationMode.LINK]
        )
    changed = [k for k, v in values.items() if getattr(offer, k) != v]
    for key in changed:
        setattr(offer, key, values[key])
    if changed:
        offer.save()
    wanted = set(organisation.sites.values_list("pk", flat=True))
    if set(offer.sites.values_list("pk", flat=True)) != wanted:
        offer.sites.set(wanted)
    return offer


def build(*, stdout=None):
    created = 0
    operators = Organisation.objects.filter(accepts_referrals=True).order_by("slug")
    for index, organisation in enumerate(operators):
        before = organisation.sites.count()
        sites = _sites(organisation, index)
        created += max(0, len(sites) - before)
        if not organisation.email:
            Organisation.objects.filter(pk=organisation.pk).update(
                email=f"contact@{organisation.slug}.demo"
            )
        ServiceOffer.objects.filter(
            organisation=organisation, is_demo=True, title__in=RETIRED_TITLES
        ).delete()
        for title, description, themes, modes, how in OFFERS.get(organisation.slug, []):
            offer = record_upsert(
                ServiceOffer,
                {"organisation": organisation, "title": title},
                {
                    "description": description,
                    "publics": organisation.publics,
                    "themes": themes,
                    "modes": modes,
                    "how_to_ask": how,
                    # An operator that no longer exists (Fongecif) keeps its offer, closed.
                    "is_active": organisation.is_current_on(),
                    "is_demo": True,
                },
            )
            offer_complete(offer)
    if stdout is not None:
        stdout.write(f"partners.demo: {created} site(s) de démonstration créé(s)")
