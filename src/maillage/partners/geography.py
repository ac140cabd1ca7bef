"""Communes and distances: find a commune by name or postcode, great-circle distances, offline."""

import math
import re
import unicodedata

EARTH_RADIUS_KM = 6371.0088


def search_key(name):
    """A commune name as people type it: no accents, case, hyphens or « Saint »/« St »."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    words = ["saint" if w == "st" else "sainte" if w == "ste" else w for w in text.split()]
    return " ".join(words)


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance between two WGS 84 points, in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def distance_label(km):
    if km < 1:
        return "moins de 1 km"
    if km < 10:
        return f"{km:.1f} km".replace(".", ",")
    return f"{round(km)} km"
