"""The public "which counsellor for me" pages and the counsellor's version of them."""

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse

from maillage.accounts.permissions import membership_required
from maillage.core import page_cache
from maillage.core.ratelimits import rate_limit
from maillage.partners import selectors as partner_selectors
from maillage.routing import engine, ruleset, selectors, services
from maillage.routing.enums import Channel
from maillage.routing.forms import RoutingForm
from maillage.routing.profile import STATUSES, Profile, ProfileError


def _context(request, *, staff):
    compiled = engine.current()
    suggestions = selectors.suggestions(compiled.snapshot)
    bound = bool(request.GET)
    form = RoutingForm(request.GET if bound else None, suggestions=suggestions, with_date=staff)
    return compiled, suggestions, form


def _kept_answer(request):
    """The public answer kept for this URL (core/page_cache.py), counted as a decision.

    A URL is kept only after the full path answered it with 200, so a kept URL's answers are
    valid: parsing them (without building the form and its choices) and deciding is enough to
    count the decision exactly before answering from the cache.
    """
    compiled = engine.current()
    on = engine.today()
    cached = page_cache.get(request, prefix=f"finder:{on.isoformat()}")
    if cached is None:
        return None
    groups = {
        value for value, _label in selectors.suggestions(compiled.snapshot)["employer_groups"]
    }
    try:
        profile = Profile.from_query(request.GET, employer_groups=groups)
    except ProfileError:
        return None
    services.decision_count_add(decision=compiled.decide(profile, on), channel=Channel.PUBLIC)
    return cached


def _result(request, *, staff):
    kept = not staff and request.GET and page_cache.shareable(request) and _kept_answer(request)
    if kept:
        return kept
    compiled, suggestions, form = _context(request, staff=staff)
    template = "routing/finder.html"
    context = {"form": form, "suggestions": suggestions, "staff": staff}
    profile = form.profile() if request.GET else None
    if profile is None:
        return render(request, template, context, status=400 if request.GET else 200)
    on = (form.cleaned_data.get("date") if staff else None) or engine.today()
    decision = compiled.decide(profile, on)
    services.decision_count_add(
        decision=decision, channel=Channel.COUNSELLOR if staff else Channel.PUBLIC
    )
    # The public answer is the same for everyone asking the same question today: it is kept a
    # few seconds per URL (core/page_cache.py) and answered by `_kept_answer`, which counts too.
    shared = not staff and page_cache.shareable(request)
    commune_text = (request.GET.get("commune") or "").strip()[:100]
    commune, commune_error = partner_selectors.commune_find(commune_text)
    primary, alternatives = selectors.decision_operators(
        decision, profile.department, commune=commune, on=on
    )
    query = profile.as_query()
    if commune_text:
        query["commune"] = commune_text
    if staff and form.cleaned_data.get("date"):
        query["date"] = on.isoformat()
    rule = next((r for r in compiled.snapshot["rules"] if r["id"] == decision.rule), None)
    referral_url = reverse("referrals:create") if staff else None
    context.update(
        {
            "profile": profile,
            "decision": decision,
            "on": on,
            "primary": primary,
            "alternatives": alternatives,
            "query": urlencode(query),
            "referral_url": referral_url,
            "referral_query": urlencode(profile.as_query()),
            "rule": rule,
            "commune": commune,
            "commune_text": commune_text,
            "commune_error": commune_error,
            "status_label": STATUSES[profile.status],
            "rule_conditions": ruleset.describe_rule(rule, compiled.snapshot) if rule else "",
            "idcc_label": selectors.idcc_label(compiled.snapshot, profile.idcc)
            if profile.idcc
            else None,
            "employer_label": dict(suggestions["employer_groups"]).get(profile.employer_group),
        }
    )
    response = render(request, "routing/result.html", context)
    if shared:
        page_cache.keep(request, response, prefix=f"finder:{on.isoformat()}")
    return response


def finder(request):
    """The questionnaire (prefilled from the query string when coming back to change answers)."""
    _compiled, suggestions, form = _context(request, staff=False)
    return render(
        request,
        "routing/finder.html",
        {"form": form, "suggestions": suggestions, "staff": False, "editing": bool(request.GET)},
    )


@rate_limit("routing", methods=None)  # every method: the answers travel by GET or POST
def finder_result(request):
    return _result(request, staff=False)


@membership_required()
def counsellor_finder(request):
    if request.GET and "modifier" not in request.GET:
        return _result(request, staff=True)
    _compiled, suggestions, form = _context(request, staff=True)
    return render(
        request, "routing/finder.html", {"form": form, "suggestions": suggestions, "staff": True}
    )
