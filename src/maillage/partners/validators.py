"""Validators of the directory's identifiers and formats (SIRET, phone, opening hours, links)."""

from urllib.parse import urlsplit

import opening_hours
import phonenumbers
from django.core.exceptions import ValidationError


def luhn_valid(digits):
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


# La Poste's establishments share one SIREN whose SIRETs do not pass Luhn; INSEE checks
# them by the sum of their digits instead.
LA_POSTE_SIREN = "356000000"


def siret_validator(value):
    if not value:
        return
    if len(value) != 14 or not value.isdigit():
        raise ValidationError("Un SIRET compte 14 chiffres.", code="siret_format")
    if value.startswith(LA_POSTE_SIREN):
        valid = sum(int(c) for c in value) % 5 == 0
    else:
        valid = luhn_valid(value)
    if not valid:
        raise ValidationError(
            "Ce SIRET n'est pas valable (la clé de contrôle ne correspond pas) : "
            "vérifiez les 14 chiffres.",
            code="siret_checksum",
        )


def phone_normalise(value):
    """A French or international number as E.164 (`+33123456789`); '' stays ''."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            "Ce numéro de téléphone n'est pas reconnu.", code="phone_format"
        ) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            "Ce numéro de téléphone n'est pas valable (exemple : 01 23 45 67 89).",
            code="phone_invalid",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_display(value):
    """E.164 as people read it in France: `+33123456789` → `01 23 45 67 89`."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def opening_hours_validator(value):
    if not value:
        return
    if not opening_hours.validate(value):
        raise ValidationError(
            "Ces horaires ne sont pas au format OpenStreetMap (exemple : "
            "« Mo-Fr 09:00-12:30,14:00-17:30; PH off »).",
            code="opening_hours",
        )


def acceslibre_validator(value):
    if not value:
        return
    host = urlsplit(value).hostname or ""
    if not (host == "acceslibre.beta.gouv.fr" or host.endswith(".acceslibre.beta.gouv.fr")):
        raise ValidationError(
            "Donnez le lien de la fiche du lieu sur Acceslibre (acceslibre.beta.gouv.fr).",
            code="acceslibre",
        )
