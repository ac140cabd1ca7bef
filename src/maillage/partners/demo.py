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

FIRST_INTERVIEW = (
    "Un entretien individuel, gratuit et confidentiel, pour faire le point sur votre situation "
    "professionnelle, vos compétences et vos envies, puis construire la suite avec un conseiller "
    "ou une conseillère en évolution professionnelle : changer de métier, se former, évoluer dans "
    "son entreprise ou créer son activité. L'entretien a lieu sur place, en visio ou par téléphone."
)
WORKSHOP = (
    "Deux demi-journées en petit groupe pour explorer les métiers qui recrutent, les formations "
    "qui y mènent et leurs financements (compte personnel de formation, projet de transition "
    "professionnelle), avec des exercices pour préparer votre propre projet et en parler ensuite "
    "avec votre conseiller ou conseillère."
)


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
        for title, description, themes, modes, how in (
            (
                "Premier entretien de conseil en évolution professionnelle",
                FIRST_INTERVIEW,
                [Theme.CAREER_ADVICE, Theme.TRANSITION],
                [Mode.IN_PERSON, Mode.REMOTE, Mode.PHONE],
                "Prenez rendez-vous par téléphone ou par e-mail auprès d'un accueil.",
            ),
            (
                "Atelier collectif « Construire son projet de formation »",
                WORKSHOP,
                [Theme.TRAINING],
                [Mode.IN_PERSON],
                "Inscription auprès de votre conseiller ou conseillère.",
            ),
        ):
            offer = record_upsert(
                ServiceOffer,
                {"organisation": organisation, "title": title},
                {
                    "description": description,
                    "publics": organisation.publics,
                    "themes": themes,
                    "modes": modes,
                    "how_to_ask": how,
                    "is_demo": True,
                },
            )
            offer_complete(offer)
    if stdout is not None:
        stdout.write(f"partners.demo: {created} site(s) de démonstration créé(s)")
