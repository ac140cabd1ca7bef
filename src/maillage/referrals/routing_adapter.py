"""The routing decision kept with each referral, through the routing area's contract.

`maillage.routing.profile.Profile.from_dict` / `maillage.routing.engine.decide` are imported
inside the functions: referrals depend on routing, never the reverse, and routing is built in
parallel. Without the routing engine, the profile is still validated on its core fields.
"""

from maillage.core.errors import DomainError

STATUSES = {"employed_private", "employed_public", "self_employed", "job_seeker", "other"}
PROFILE_FIELDS = (
    "department",
    "status",
    "age",
    "disability",
    "cadre",
    "temp_worker",
    "employer_group",
    "idcc",
)
BOOLEAN_FIELDS = ("disability", "cadre", "temp_worker")


def profile_from_query(params):
    """Routing profile fields from GET parameters (the routing result page links with them)."""
    data = {}
    for field in PROFILE_FIELDS:
        value = params.get(field)
        if value in (None, ""):
            continue
        if field in BOOLEAN_FIELDS:
            data[field] = value in ("1", "true", "on", "oui", "True")
        elif field == "age":
            try:
                data[field] = int(value)
            except ValueError:
                continue
        else:
            data[field] = value
    return data


def _fallback_validate(data):
    department = str(data.get("department") or "")
    if not 2 <= len(department) <= 3:
        raise DomainError(
            "Indiquez le département de la personne (2 ou 3 caractères).",
            code="profile",
            field="profile.department",
        )
    if data.get("status") not in STATUSES:
        raise DomainError(
            "Indiquez la situation de la personne.", code="profile", field="profile.status"
        )
    return {k: data[k] for k in PROFILE_FIELDS if k in data}


def decide(profile_data, *, on=None):
    """(clean profile dict, decision dict with primary/alternatives/rule/explanation)."""
    if not isinstance(profile_data, dict):
        raise DomainError("Le profil d'aiguillage est invalide.", code="profile", field="profile")
    try:
        from maillage.routing.engine import current as routing_current
        from maillage.routing.engine import decide as routing_decide
        from maillage.routing.profile import Profile, ProfileError
    except ImportError:
        return _fallback_validate(profile_data), {}
    try:
        profile = Profile.from_dict(profile_data, employer_groups=routing_current().employer_groups)
    except ProfileError as exc:
        field = getattr(exc, "field", "") or ""
        message = getattr(exc, "message", None) or str(exc)
        raise DomainError(message, code="profile", field=f"profile.{field}".rstrip(".")) from exc
    decision = routing_decide(profile, on=on)
    as_dict = decision.as_dict() if hasattr(decision, "as_dict") else {}
    kept = {
        "primary": as_dict.get("primary", getattr(decision, "primary", None)),
        "alternatives": as_dict.get("alternatives", getattr(decision, "alternatives", [])),
        "rule": as_dict.get("rule", getattr(decision, "rule", None)),
        "explanation": as_dict.get("explanation", getattr(decision, "explanation", "")),
    }
    kept = {k: _slugs(v) for k, v in kept.items()}
    clean = profile.as_dict() if hasattr(profile, "as_dict") else dict(profile_data)
    # Defaults (None, False) say nothing: keep the profile as short as the person's answers.
    clean = {k: v for k, v in clean.items() if v not in (None, False, "")}
    return clean, kept


def _slugs(value):
    """Decision parts may be organisations or slugs; keep slugs (JSON-serialisable)."""
    if isinstance(value, list | tuple):
        return [_slugs(v) for v in value]
    if hasattr(value, "slug"):
        return value.slug
    if isinstance(value, dict) and "slug" in value:
        return value["slug"]
    return value
