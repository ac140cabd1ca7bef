"""Import of a data·inclusion file (structures and services, JSON or CSV) into the directory.

One transaction for the whole file; a dry run by default (everything is computed, then rolled
back), so that the preview says exactly what `--apply` will do. Each row is checked against
`data-inclusion-schema` (warnings enforced) and refused with a French reason when it cannot be
imported; the good rows are written only with `apply=True`. Rules:
- a structure whose id is one of ours (`maillage--<uuid>`) updates that organisation;
  another one becomes a site of the operator it belongs to (found by `maillage_slug`, SIRET or
  network), matched on its name;
- a service whose id is one of ours updates that offer; another one creates or updates the
  offer of the same title of its structure's operator, delivered at that structure's site.
"""

import csv
import io
import json
from dataclasses import dataclass, field

import pydantic
from data_inclusion.schema import v1
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from maillage.core.audit import audit_log
from maillage.partners import vocabularies
from maillage.partners.datainclusion import public_id_of
from maillage.partners.models import Commune, Department, Organisation, ServiceOffer, Site

STRICT = {"ignore_warnings": False}
LIST_FIELDS = {
    "reseaux_porteurs",
    "thematiques",
    "publics",
    "modes_accueil",
    "zone_eligibilite",
    "modes_mobilisation",
    "mobilisable_par",
    "maillage_publics",
    "maillage_thematiques",
    "maillage_modes",
    "maillage_lieux",
}
OUTCOMES = {
    "created": "créé",
    "updated": "mis à jour",
    "unchanged": "inchangé",
    "refused": "refusé",
}
PYDANTIC_FR = {
    "missing": "champ obligatoire absent",
    "string_too_short": "texte trop court",
    "string_too_long": "texte trop long",
    "string_pattern_mismatch": "format non valable",
    "enum": "valeur hors du vocabulaire data·inclusion",
    "url_parsing": "adresse web non valable",
    "url_scheme": "adresse web non valable",
    "date_from_datetime_parsing": "date non valable (AAAA-MM-JJ)",
    "date_parsing": "date non valable (AAAA-MM-JJ)",
    "value_error": "valeur non valable",
    "float_parsing": "nombre attendu",
    "int_parsing": "nombre entier attendu",
    "list_type": "liste attendue",
    "set_type": "liste attendue",
    "string_type": "texte attendu",
}


class ImportFileError(ValueError):
    """The file as a whole cannot be read (French message)."""


@dataclass
class RowReport:
    kind: str
    line: int
    record_id: str
    name: str
    outcome: str = "refused"
    messages: list = field(default_factory=list)
    changes: list = field(default_factory=list)

    @property
    def outcome_fr(self):
        return OUTCOMES[self.outcome]

    def as_dict(self):
        return {
            "type": self.kind,
            "ligne": self.line,
            "id": self.record_id,
            "nom": self.name,
            "résultat": self.outcome_fr,
            "motifs": self.messages,
            "champs_modifiés": self.changes,
        }


@dataclass
class ImportReport:
    applied: bool
    rows: list = field(default_factory=list)

    def count(self, outcome):
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def refused(self):
        return [r for r in self.rows if r.outcome == "refused"]

    def summary_fr(self):
        verb = "Import appliqué" if self.applied else "Aperçu (rien n'est enregistré)"
        return (
            f"{verb} : {self.count('created')} créé(s), {self.count('updated')} mis à jour, "
            f"{self.count('unchanged')} inchangé(s), {self.count('refused')} refusé(s)."
        )

    def lines_fr(self):
        lines = [self.summary_fr()]
        for row in self.rows:
            text = f"{row.kind} ligne {row.line} « {row.name or row.record_id} » : {row.outcome_fr}"
            if row.changes:
                text += f" ({', '.join(row.changes)})"
            if row.messages:
                text += " — " + " ; ".join(row.messages)
            lines.append(text)
        return lines


# --- reading --------------------------------------------------------------------------------


def _csv_value(name, value):
    value = (value or "").strip()
    if value == "":
        return None
    if name in LIST_FIELDS:
        if value.startswith("["):
            try:
                return json.loads(value)
            except json.JSONDecodeError:
                return value
        return [v.strip() for v in value.replace(";", ",").split(",") if v.strip()]
    if name in ("latitude", "longitude", "volume_horaire_hebdomadaire"):
        try:
            return float(value.replace(",", "."))
        except ValueError:
            return value
    return value


def records_read(content, filename=""):
    """(structures, services) from JSON (lists, {"structures", "services"}, API pages) or CSV."""
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportFileError("Le fichier n'est pas en UTF-8.") from exc
    text = content.strip()
    if not text:
        raise ImportFileError("Le fichier est vide.")
    if filename.lower().endswith(".csv") or not text.startswith(("[", "{")):
        reader = csv.DictReader(
            io.StringIO(text), delimiter=";" if ";" in text.split("\n")[0] else ","
        )
        rows = [{k: _csv_value(k, v) for k, v in row.items() if k} for row in reader]
        if not reader.fieldnames or "id" not in reader.fieldnames:
            raise ImportFileError(
                "Le CSV n'a pas de colonne « id » : est-ce un fichier data·inclusion ?"
            )
        data = rows
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ImportFileError(f"Le JSON n'est pas valable (ligne {exc.lineno}).") from exc
    if isinstance(data, dict):
        if "structures" in data or "services" in data:
            return list(data.get("structures") or []), list(data.get("services") or [])
        data = data.get("items", data.get("contents"))
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise ImportFileError("Le fichier doit contenir une liste de structures ou de services.")
    structures = [r for r in data if "structure_id" not in r]
    services = [r for r in data if "structure_id" in r]
    return structures, services


def _errors_fr(exc):
    messages = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ())) or "ligne"
        kind = error.get("type", "")
        if kind in ("value_error", "avertissement"):
            text = str(error.get("msg", "")).removeprefix("Value error, ")
        else:
            text = PYDANTIC_FR.get(kind, "valeur non valable")
        messages.append(f"{where} : {text}")
    return messages


# --- matching -------------------------------------------------------------------------------


def _by_public_id(model, record_id_value):
    public_id = public_id_of(record_id_value)
    if not public_id:
        return None
    try:
        return model.objects.filter(public_id=public_id).first()
    except ValidationError:  # not a UUID
        return None


def _operator_for(row):
    slug = row.get("maillage_slug")
    if slug and (found := Organisation.objects.filter(slug=slug).first()):
        return found
    siret = row.get("siret") or ""
    if siret:
        found = (
            Organisation.objects.filter(siret=siret).first()
            or Organisation.objects.filter(siret__startswith=siret[:9]).exclude(siret="").first()
        )
        if found:
            return found
    for network in row.get("reseaux_porteurs") or []:
        for organisation in Organisation.objects.exclude(networks=[]):
            if network in organisation.networks:
                return organisation
    return None


def _apply(obj, values):
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    for key in changed:
        setattr(obj, key, values[key])
    return changed


# --- rows -----------------------------------------------------------------------------------


def _structure(row, report, context):
    organisation = _by_public_id(Organisation, row.get("id"))
    if organisation is not None:
        head = organisation.sites.order_by("department_id", "city", "name", "pk").first()
        values = {
            "name": row["nom"] if row["nom"] != organisation.name.rstrip(".") else organisation.name
        }
        if row.get("description"):
            values["description"] = row["description"]
        if row.get("siret"):
            values["siret"] = row["siret"]
        if row.get("site_web"):
            values["website"] = row["site_web"]
        if row.get("telephone") and not (head and row["telephone"] == head.phone):
            values["phone"] = row["telephone"]
        if row.get("courriel") and not (head and row["courriel"] == head.email):
            values["email"] = row["courriel"]
        if row.get("reseaux_porteurs") is not None:
            values["networks"] = sorted(row["reseaux_porteurs"])
        changed = _apply(organisation, values)
        if changed:
            organisation.full_clean(exclude=["departments"])
            organisation.save()
        report.outcome, report.changes = ("updated", changed) if changed else ("unchanged", [])
        context[row["id"]] = (organisation, None)
        return
    site = _by_public_id(Site, row.get("id"))
    operator = site.organisation if site else _operator_for(row)
    if operator is None:
        report.messages.append(
            "structure inconnue : ni un identifiant Maillage, ni un SIRET, ni un réseau porteur "
            "d'un opérateur de l'annuaire (l'import ne crée pas d'organisation)"
        )
        return
    commune = Commune.objects.filter(pk=row.get("code_insee") or "").first()
    if commune is None:
        report.messages.append(
            "code_insee : commune absente du référentiel des départements du partenariat"
        )
        return
    if not row.get("adresse"):
        report.messages.append("adresse : absente, un site a besoin d'une adresse")
        return
    site = site or Site.objects.filter(organisation=operator, name=row["nom"]).first()
    creating = site is None
    site = site or Site(organisation=operator, name=row["nom"])
    values = {
        "address": row["adresse"],
        "postcode": row.get("code_postal") or (commune.postcode_list or [""])[0],
        "city": row.get("commune") or commune.name,
        "commune_id": commune.pk,
        "department_id": commune.department_id,
        "latitude": row.get("latitude") if row.get("latitude") is not None else commune.latitude,
        "longitude": row.get("longitude")
        if row.get("longitude") is not None
        else commune.longitude,
        "phone": row.get("telephone") or "",
        "email": row.get("courriel") or "",
        "opening_hours": row.get("horaires_accueil") or "",
        "accessibility_url": row.get("accessibilite_lieu") or "",
        "siret": row.get("siret") or "",
    }
    changed = _apply(site, values)
    if creating or changed:
        site.full_clean()
        site.save()
    report.outcome = "created" if creating else ("updated" if changed else "unchanged")
    report.changes = [] if creating else changed
    context[row["id"]] = (operator, site)


def _service(row, report, context):
    offer = _by_public_id(ServiceOffer, row.get("id"))
    if offer is not None:
        organisation, site = offer.organisation, None
    elif row.get("structure_id") in context:
        organisation, site = context[row["structure_id"]]
    else:
        organisation = _by_public_id(Organisation, row.get("structure_id"))
        linked = _by_public_id(Site, row.get("structure_id"))
        organisation, site = (linked.organisation, linked) if linked else (organisation, None)
    if organisation is None:
        report.messages.append(
            "structure_id : structure inconnue (ni dans ce fichier, ni dans l'annuaire)"
        )
        return
    publics = vocabularies.publics_from_di(row.get("publics"), row.get("maillage_publics"))
    themes = vocabularies.themes_from_di(row.get("thematiques"), row.get("maillage_thematiques"))
    if not publics:
        report.messages.append("publics : aucun public que l'annuaire connaisse")
    if not themes:
        report.messages.append("thematiques : aucune thématique que l'annuaire connaisse")
    if report.messages:
        return
    if offer is None:
        offer = ServiceOffer.objects.filter(organisation=organisation, title=row["nom"]).first()
    creating = offer is None
    offer = offer or ServiceOffer(organisation=organisation)
    description = row["description"]
    if description == offer.title and len(offer.description.strip()) < 5:
        description = offer.description  # the export's stand-in for a missing description
    title = row["nom"] if row["nom"] != offer.title.rstrip(".") else offer.title
    modes = row.get("maillage_modes")
    values = {
        "title": title,
        "description": description,
        "publics": publics,
        "themes": themes,
        "modes": modes
        if modes is not None
        else vocabularies.modes_from_di(row.get("modes_accueil")),
        "how_to_ask": row.get("mobilisation_precisions") or "",
        "mobilisation_modes": sorted(row.get("modes_mobilisation") or []),
        "mobilisable_by": sorted(row.get("mobilisable_par") or []),
        "mobilisation_url": row.get("lien_mobilisation") or "",
        "eligibility_departments": sorted(
            code
            for code in row.get("zone_eligibilite") or []
            if Department.objects.filter(pk=code).exists()
        ),
        "is_free": row.get("frais") != "payant",
    }
    changed = _apply(offer, values)
    if creating or changed:
        offer.full_clean(exclude=["sites"])
        offer.save()
    if row.get("maillage_lieux") is not None:
        wanted = {
            s.pk
            for s in (_by_public_id(Site, v) for v in row["maillage_lieux"])
            if s is not None and s.organisation_id == organisation.pk
        }
    else:
        wanted = {site.pk} if site else set(offer.sites.values_list("pk", flat=True))
    if set(offer.sites.values_list("pk", flat=True)) != wanted:
        offer.sites.set(wanted)
        changed.append("sites")
        if not creating:
            offer.save(update_fields=["updated_at"])
    report.outcome = "created" if creating else ("updated" if changed else "unchanged")
    report.changes = [] if creating else changed


def _row(kind, index, row, model, handler, context):
    report = RowReport(kind, index, str(row.get("id") or ""), str(row.get("nom") or ""))
    try:
        model.model_validate(row, context=STRICT)
    except pydantic.ValidationError as exc:
        report.messages = _errors_fr(exc)
        return report
    try:
        with transaction.atomic():
            handler(row, report, context)
    except ValidationError as exc:
        report.outcome = "refused"
        report.messages = [
            f"{name} : {' '.join(messages)}" for name, messages in exc.message_dict.items()
        ]
    except IntegrityError:
        report.outcome = "refused"
        report.messages = ["conflit avec une donnée existante (nom déjà pris ?)"]
    return report


def directory_import(*, actor, content, filename="", apply=False):
    """Import a data·inclusion file; with `apply=False` (default) nothing is written."""
    structures, services = records_read(content, filename)
    report = ImportReport(applied=apply)
    with transaction.atomic():
        context = {}
        for index, row in enumerate(structures, start=1):
            report.rows.append(_row("structure", index, row, v1.Structure, _structure, context))
        for index, row in enumerate(services, start=1):
            report.rows.append(_row("service", index, row, v1.Service, _service, context))
        if apply:
            audit_log(
                actor=actor,
                action="partners.directory.imported",
                data={
                    "fichier": filename[:200],
                    **{OUTCOMES[k]: report.count(k) for k in OUTCOMES},
                },
            )
        else:
            transaction.set_rollback(True)
    return report
