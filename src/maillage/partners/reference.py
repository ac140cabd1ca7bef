"""Load departments, organisations and conventions from data/ (idempotent upserts)."""

import csv
from datetime import date

import yaml

from maillage.core.reference import Counter, upsert
from maillage.partners.geography import search_key
from maillage.partners.models import (
    Commune,
    Convention,
    ConventionSignatory,
    Department,
    Organisation,
    OrganisationName,
)

COMMUNE_FIELDS = ("name", "search_key", "department_id", "postcodes", "latitude", "longitude")
COMMUNE_FIELDS += ("population", "precision")


def _date(value):
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def load(data_dir):
    counter = Counter()
    with open(data_dir / "departments.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            counter.add(
                "departments",
                upsert(
                    Department,
                    {"code": row["code"]},
                    {
                        "name": row["name"],
                        "region_code": row["region_code"],
                        "region_name": row["region_name"],
                    },
                ),
            )
    _load_communes(data_dir, counter)
    organisations = yaml.safe_load((data_dir / "organisations.yaml").read_text(encoding="utf-8"))
    for item in organisations:
        values = {
            "name": item["name"],
            "kind": item["kind"],
            "public_summary": item.get("public_summary", ""),
            "publics": item.get("publics", []),
            "description": item.get("description", "").strip(),
            "history": item.get("history", "").strip(),
            "website": item.get("website", ""),
            "active_from": _date(item.get("active_from")),
            "active_until": _date(item.get("active_until")),
            "accepts_referrals": item.get("accepts_referrals", False),
            "networks": item.get("networks", []),
        }
        outcome = upsert(Organisation, {"slug": item["slug"]}, values)
        organisation = Organisation.objects.get(slug=item["slug"])
        wanted = set(item.get("departments", []))
        current = set(organisation.departments.values_list("code", flat=True))
        if wanted != current:
            organisation.departments.set(Department.objects.filter(code__in=wanted))
            outcome = "updated" if outcome == "unchanged" else outcome
        counter.add("organisations", outcome)
        _load_names(organisation, item.get("names", []), counter)
    conventions = yaml.safe_load((data_dir / "conventions.yaml").read_text(encoding="utf-8"))
    for item in conventions:
        outcome = upsert(
            Convention,
            {"slug": item["slug"]},
            {
                "title": item["title"],
                "region_code": item["region_code"],
                "signed_on": _date(item["signed_on"]),
                "signed_at": item.get("signed_at", ""),
                "valid_from": _date(item["valid_from"]),
                "valid_until": _date(item.get("valid_until")),
                "summary": item.get("summary", "").strip(),
                "commitment": item.get("commitment", "").strip(),
                "axes": item.get("axes", []),
                "source": item.get("source", ""),
            },
        )
        counter.add("conventions", outcome)
        convention = Convention.objects.get(slug=item["slug"])
        for party in item.get("parties", []):
            counter.add(
                "convention_parties",
                upsert(
                    ConventionSignatory,
                    {
                        "convention": convention,
                        "organisation": Organisation.objects.get(slug=party["organisation"]),
                    },
                    {
                        "role": party["role"],
                        "joined_on": _date(party.get("joined_on", item["signed_on"])),
                        "left_on": _date(party.get("left_on")),
                    },
                ),
            )
    return counter.result()


def _load_names(organisation, names, counter):
    """The dated names of `organisation` become exactly those of the file."""
    wanted = {
        (_date(n.get("valid_from")), _date(n.get("valid_until")), n["name"], n.get("website", ""))
        for n in names
    }
    current = set(organisation.names.values_list("valid_from", "valid_until", "name", "website"))
    if wanted == current:
        counter.add("organisation_names", "unchanged")
        return
    organisation.names.all().delete()
    OrganisationName.objects.bulk_create(
        OrganisationName(
            organisation=organisation,
            valid_from=valid_from,
            valid_until=valid_until,
            name=name,
            website=website,
        )
        for valid_from, valid_until, name, website in sorted(wanted, key=_start)
    )
    counter.add("organisation_names", "updated" if current else "created")


def _start(row):
    return row[0] or date.min


def _load_communes(data_dir, counter):
    """data/communes.csv in bulk (1,300 rows at each load would be slow one by one)."""
    path = data_dir / "communes.csv"
    if not path.exists():
        return
    existing = {c.insee_code: c for c in Commune.objects.all()}
    departments = set(Department.objects.values_list("code", flat=True))
    new, changed = [], []
    unchanged = 0
    with open(path, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["department"] not in departments:
                continue
            values = {
                "name": row["name"],
                "search_key": search_key(row["name"]),
                "department_id": row["department"],
                "postcodes": row["postcodes"],
                "latitude": float(row["latitude"]),
                "longitude": float(row["longitude"]),
                "population": int(row["population"] or 0),
                "precision": row["precision"],
            }
            commune = existing.get(row["insee_code"])
            if commune is None:
                new.append(Commune(insee_code=row["insee_code"], **values))
            elif any(getattr(commune, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(commune, key, value)
                changed.append(commune)
            else:
                unchanged += 1
    Commune.objects.bulk_create(new, batch_size=500)
    Commune.objects.bulk_update(changed, COMMUNE_FIELDS, batch_size=500)
    counter.counts["communes"] = (len(new), len(changed), unchanged)
