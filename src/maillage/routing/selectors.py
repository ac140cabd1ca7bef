"""Reads of routing: rules in force, operators to show with a decision, mandates over time."""

from datetime import date

from django.db.models import Prefetch

from maillage.partners import selectors as partner_selectors
from maillage.partners.enums import OrganisationKind
from maillage.partners.models import Department, Organisation, Site
from maillage.routing import ruleset
from maillage.routing.models import RuleSetRevision


def department_choices():
    """The departments of the region (the reference table), as (code, "Paris (75)")."""
    return [(d.code, f"{d.name} ({d.code})") for d in Department.objects.order_by("code")]


def rules_in_force(snapshot, on):
    return [rule for rule in snapshot["rules"] if ruleset.in_force(rule, on)]


def suggestions(snapshot):
    """Employer groups and IDCC of the reference lists, for the form's choices and datalist."""
    groups, idcc = [], []
    for item in snapshot["lists"]:
        if item["kind"] == "employer_group":
            groups.extend((i["value"], i["label"]) for i in item["items"])
        elif item["kind"] == "idcc":
            idcc.extend((i["value"], i["label"]) for i in item["items"])
    groups.sort(key=lambda pair: pair[1].lower())
    idcc.sort(key=lambda pair: int(pair[0]))
    return {"employer_groups": groups, "idcc": idcc}


def idcc_label(snapshot, code):
    for item in snapshot["lists"]:
        if item["kind"] == "idcc":
            for entry in item["items"]:
                if entry["value"] == code:
                    return entry["label"]
    return None


def decision_operators(decision, department, commune=None, *, on=None):
    """The suggested operator and the alternatives, each with its sites in `department`
    (`local_sites`) and, when the person gave a commune, its nearest sites with their
    distance (`nearest_sites`); `regional_contact` when it has no site in the department.
    With `on`, each operator carries the name (and website) it had on that date."""
    slugs = [decision.primary, *decision.alternatives]
    sites = Site.objects.select_related("commune").order_by("city", "name")
    found = {
        o.slug: o
        for o in Organisation.objects.filter(slug__in=slugs).prefetch_related(
            Prefetch("sites", queryset=sites, to_attr="all_sites"), "names"
        )
    }
    for organisation in found.values():
        if on is not None:
            # Display copies, never saved: the decision of a 2023 date names Pôle emploi.
            dated = next((n for n in organisation.names.all() if n.covers(on)), None)
            if dated is not None:
                organisation.name = dated.name
                organisation.website = dated.website or organisation.website
        organisation.local_sites = [
            s for s in organisation.all_sites if s.department_id == department
        ]
        organisation.nearest_sites = (
            partner_selectors.sites_nearest(organisation.all_sites, commune) if commune else []
        )
        # Gateways (public employer, mon-cep.org…) are not reception desks: no contact block.
        organisation.regional_contact = (
            not organisation.local_sites and organisation.kind == OrganisationKind.OPERATOR
        )
    primary = found.get(decision.primary)
    alternatives = [found[slug] for slug in decision.alternatives if slug in found]
    return primary, alternatives


def mandates(snapshot, *, start=date(2019, 1, 1), end=None):
    """Per operator: the periods in which rules send people to it (the "who does what" page).

    Each row: operator, its rules, and segments [(from, until, rule ids)] clipped to the window.
    """
    end = end or date(max(date.today().year, 2024), 12, 31)
    span = (end - start).days + 1
    names = dict(Organisation.objects.values_list("slug", "name"))
    rows = {}
    for rule in snapshot["rules"]:
        valid_from = ruleset.as_date(rule["valid_from"]) or start
        valid_until = ruleset.as_date(rule["valid_until"]) or end
        row = rows.setdefault(
            rule["target"],
            {
                "slug": rule["target"],
                "name": names.get(rule["target"], rule["target"]),
                "rules": [],
                "order": rule["order"],
            },
        )
        low, high = max(valid_from, start), min(valid_until, end)
        row["rules"].append(
            {
                "id": rule["id"],
                "kind": rule["kind"],
                "valid_from": rule["valid_from"],
                "valid_until": rule["valid_until"],
                "conditions": ruleset.describe_rule(rule, snapshot),
                # Offsets in % of the window, for the CSS bars (no JavaScript).
                "left": round(100 * (low - start).days / span, 2) if low <= high else 0,
                "width": round(100 * ((high - low).days + 1) / span, 2) if low <= high else 0,
            }
        )
    years = [
        {"year": y, "left": round(100 * (date(y, 1, 1) - start).days / span, 2)}
        for y in range(start.year, end.year + 1)
    ]
    ordered = sorted(rows.values(), key=lambda row: row["order"])
    return {"rows": ordered, "years": years, "start": start, "end": end}


def revisions():
    return RuleSetRevision.objects.select_related("author").defer("snapshot")


def decision_counts(start, end, *, primary=None):
    """[(primary, channel, count)] of the decisions of [start, end]: the folded daily counts
    plus the decisions logged since the worker's last fold."""
    from django.db.models import Count

    from maillage.routing.models import DecisionCount, DecisionLog

    counted = DecisionCount.objects.filter(day__gte=start, day__lte=end)
    logged = DecisionLog.objects.filter(day__gte=start, day__lte=end)
    if primary is not None:
        counted, logged = counted.filter(primary=primary), logged.filter(primary=primary)
    rows = list(counted.values_list("primary", "channel", "count"))
    rows += (
        logged.order_by()
        .values("primary", "channel")
        .annotate(n=Count("id"))
        .values_list("primary", "channel", "n")
    )
    return rows
