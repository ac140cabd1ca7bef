"""Maillage's publics and themes mapped onto data·inclusion's vocabularies (and back).

Where data·inclusion has no equivalent (the sector publics of the former Opacif, VAE,
career transition), the nearest standard code is published and Maillage's own code goes
beside it in `maillage_publics` / `maillage_thematiques` (documented in docs/data-inclusion.md).
"""

from maillage.partners.enums import Mode, Public, Theme

PUBLICS = {
    Public.PRIVATE_EMPLOYEES: ["actifs"],
    Public.PUBLIC_AGENTS: ["actifs"],
    Public.SELF_EMPLOYED: ["actifs"],
    Public.JOB_SEEKERS: ["demandeurs-emploi"],
    Public.YOUNG: ["jeunes"],
    Public.DISABILITY: ["personnes-en-situation-de-handicap"],
    Public.CADRES: ["actifs", "demandeurs-emploi"],
    Public.TEMP_WORKERS: ["actifs"],
    Public.CULTURE: ["actifs"],
    Public.HEALTH_SOCIAL: ["actifs"],
    Public.SOCIAL_ECONOMY: ["actifs"],
    Public.SPECIAL_STATUS: ["actifs"],
    Public.BANKING_AGRI: ["actifs"],
    Public.OUTSIDE_REGION: ["tous-publics"],
    Public.EVERYONE: ["tous-publics"],
}
# Publics with no data·inclusion equivalent: published as extensions beside the nearest code.
PUBLIC_EXTENSIONS = {
    Public.CULTURE,
    Public.HEALTH_SOCIAL,
    Public.SOCIAL_ECONOMY,
    Public.SPECIAL_STATUS,
    Public.BANKING_AGRI,
    Public.CADRES,
    Public.TEMP_WORKERS,
    Public.OUTSIDE_REGION,
}

THEMES = {
    Theme.CAREER_ADVICE: [
        "choisir-un-metier--identifier-ses-points-forts-et-ses-competences",
        "choisir-un-metier--confirmer-son-choix-de-metier",
    ],
    Theme.TRAINING: [
        "se-former--trouver-sa-formation",
        "se-former--monter-son-dossier-de-formation",
    ],
    Theme.JOB_SEARCH: [
        "trouver-un-emploi--repondre-a-des-offres-demploi",
        "preparer-sa-candidature--valoriser-ses-competences",
    ],
    Theme.JOB_RETENTION: ["trouver-un-emploi--maintien-dans-lemploi"],
    Theme.BUSINESS_CREATION: ["creer-une-entreprise--definir-son-projet-de-creation-dentreprise"],
    Theme.VAE: ["se-former--monter-son-dossier-de-formation"],
    Theme.TRANSITION: ["choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite"],
}
THEME_EXTENSIONS = {Theme.VAE, Theme.TRANSITION}

MODES = {
    Mode.IN_PERSON: "en-presentiel",
    Mode.REMOTE: "a-distance",
    Mode.PHONE: "a-distance",
}


def _ordered(values):
    return sorted(dict.fromkeys(values))


def publics_to_di(publics):
    codes = _ordered(code for p in publics for code in PUBLICS.get(p, []))
    if "tous-publics" in codes and len(codes) > 1:
        # data·inclusion forbids `tous-publics` beside other publics.
        codes.remove("tous-publics")
    return codes


def themes_to_di(themes):
    return _ordered(code for t in themes for code in THEMES.get(t, []))


def modes_to_di(modes):
    return _ordered(MODES[m] for m in modes if m in MODES)


def publics_from_di(codes, extension=None):
    """Maillage publics of a data·inclusion record: its extension if any, else the nearest."""
    if extension:
        return [p for p in extension if p in Public.values]
    reverse = {
        "actifs": Public.PRIVATE_EMPLOYEES,
        "demandeurs-emploi": Public.JOB_SEEKERS,
        "jeunes": Public.YOUNG,
        "personnes-en-situation-de-handicap": Public.DISABILITY,
        "tous-publics": Public.EVERYONE,
    }
    return list(dict.fromkeys(str(reverse[c]) for c in codes or [] if c in reverse))


def themes_from_di(codes, extension=None):
    if extension:
        return [t for t in extension if t in Theme.values]
    found = []
    for code in codes or []:
        for theme, mapped in THEMES.items():
            if code in mapped and theme not in THEME_EXTENSIONS and theme not in found:
                found.append(str(theme))
    return found


def modes_from_di(codes):
    found = []
    if "en-presentiel" in (codes or []):
        found.append(str(Mode.IN_PERSON))
    if "a-distance" in (codes or []):
        found += [str(Mode.REMOTE), str(Mode.PHONE)]
    return found
