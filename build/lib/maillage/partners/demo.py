"""Demo sites and service offers: invented contacts, flagged as demonstration on screen."""

from maillage.partners.enums import Mode, Theme
from maillage.partners.models import Department, Organisation, ServiceOffer, Site

CITIES = {
    "75": ("Paris", "75011"),
    "77": ("Melun", "77000"),
    "78": ("Versailles", "78000"),
    "91": ("Évry-Courcouronnes", "91000"),
    "92": ("Nanterre", "92000"),
    "93": ("Bobigny", "93000"),
    "94": ("Créteil", "94000"),
    "95": ("Cergy", "95000"),
}


def build(*, stdout=None):
    created = 0
    operators = Organisation.objects.filter(accepts_referrals=True).order_by("slug")
    for index, organisation in enumerate(operators):
        # Every operator gets a Paris site and one more in another department.
        codes = ["75", list(CITIES)[1 + index % 7]]
        for code in codes:
            city, postcode = CITIES[code]
            _site, was_created = Site.objects.update_or_create(
                organisation=organisation,
                name=f"Accueil {city} (démonstration)",
                defaults={
                    "address": f"{10 + index} rue de la Démonstration",
                    "postcode": postcode,
                    "city": city,
                    "department": Department.objects.get(code=code),
                    "phone": f"01 00 00 {index:02d} {int(code):02d}",
                    "email": f"accueil-{code}@{organisation.slug}.demo",
                    "opening_hours": "Du lundi au vendredi, 9 h – 12 h 30 et 14 h – 17 h 30",
                    "is_demo": True,
                },
            )
            created += was_created
        ServiceOffer.objects.update_or_create(
            organisation=organisation,
            title="Premier entretien de conseil en évolution professionnelle",
            defaults={
                "description": (
                    "Un entretien individuel et gratuit pour faire le point sur votre situation "
                    "et votre projet, et construire la suite avec un conseiller ou une conseillère."
                ),
                "publics": organisation.publics,
                "themes": [Theme.CAREER_ADVICE, Theme.TRANSITION],
                "modes": [Mode.IN_PERSON, Mode.REMOTE, Mode.PHONE],
                "how_to_ask": "Prenez rendez-vous par téléphone ou par e-mail auprès d'un accueil.",
                "is_demo": True,
            },
        )
        ServiceOffer.objects.update_or_create(
            organisation=organisation,
            title="Atelier collectif « Construire son projet de formation »",
            defaults={
                "description": (
                    "Deux demi-journées en groupe pour explorer les métiers, les formations et "
                    "leurs financements (CPF, projet de transition professionnelle)."
                ),
                "publics": organisation.publics,
                "themes": [Theme.TRAINING],
                "modes": [Mode.IN_PERSON],
                "how_to_ask": "Inscription auprès de votre conseiller ou conseillère.",
                "is_demo": True,
            },
        )
    if stdout is not None:
        stdout.write(f"partners.demo: {created} site(s) de démonstration créé(s)")
