"""Coordinator pages: who does what on which date, rule and list editing with preview, history."""

import yaml
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from maillage.accounts.enums import Role
from maillage.accounts.permissions import membership_required
from maillage.core.errors import DomainError
from maillage.core.parsing import date_parse, int_parse
from maillage.partners import selectors as partner_selectors
from maillage.partners.models import Organisation
from maillage.routing import analysis, builder, engine, explanations, ruleset, selectors, services
from maillage.routing.enums import RuleKind
from maillage.routing.forms import RuleForm, RuleListForm
from maillage.routing.models import RuleSetRevision

_FIELD_OF_LIST = {kind: field for field, kind in ruleset.LIST_KIND_OF_FIELD.items()}


def _day(request):
    try:
        return date_parse(request.GET.get("date"), field="date") or engine.today()
    except DomainError:
        return engine.today()


def _latest_revision_id():
    return RuleSetRevision.objects.order_by("-id").values_list("id", flat=True).first()


@membership_required()
def mandates(request):
    snapshot = engine.current().snapshot
    day = _day(request)
    in_force = selectors.rules_in_force(snapshot, day)
    names = dict(Organisation.objects.values_list("slug", "name"))
    return render(
        request,
        "routing/mandates.html",
        {
            "timeline": selectors.mandates(snapshot),
            "day": day,
            "in_force": [
                {
                    **r,
                    "name": names.get(r["target"], r["target"]),
                    "conditions": ruleset.describe_rule(r, snapshot),
                }
                for r in in_force
            ],
        },
    )


@membership_required()
def rules(request):
    snapshot = engine.current().snapshot
    day = _day(request)
    names = partner_selectors.organisation_names_on(day)
    rows = [
        {
            **rule,
            "conditions": ruleset.describe_rule(rule, snapshot),
            "in_force": ruleset.in_force(rule, day),
            "kind_label": ruleset.KINDS.get(rule["kind"], rule["kind"]),
            "target_name": names.get(rule["target"], rule["target"]),
            "explanation": ruleset.explain(
                rule["explanation"], names.get(rule["target"], rule["target"])
            ),
            "mismatches": explanations.mismatches(rule, snapshot),
        }
        for rule in snapshot["rules"]
    ]
    lists = [
        {
            **item,
            "in_force": ruleset.in_force(item, day),
            "labels": [
                ruleset.value_label(_FIELD_OF_LIST[item["kind"]], i["value"], snapshot)
                for i in item["items"]
            ],
            "dates": ruleset.list_dates(item),
        }
        for item in snapshot["lists"]
    ]
    return render(
        request,
        "routing/rules.html",
        {
            "rules": rows,
            "lists": lists,
            "day": day,
            "can_edit": request.membership.role == Role.COORDINATOR,
            "revision": RuleSetRevision.objects.order_by("-id").defer("snapshot").first(),
        },
    )


def _preview(current, proposed, day):
    """What would move, and whether the proposed rules still pass `rules check --strict`."""
    report = analysis.simulate(current, proposed, day)
    names = partner_selectors.organisation_names_on(day)
    moves = [
        (names.get(before, before), names.get(after, after), count)
        for (before, after), count in sorted(
            report.moves.items(), key=lambda item: (-item[1], item[0])
        )
    ]
    check = analysis.check_snapshot(proposed, day)
    return {"report": report, "moves": moves, "day": day, "check": check}


def _rule_initial(rule, *, yaml_mode):
    initial = {
        "id": rule["id"],
        "order": rule["order"],
        "kind": rule["kind"],
        "target": rule["target"],
        "valid_from": rule["valid_from"],
        "valid_until": rule["valid_until"],
        "explanation": rule["explanation"],
    }
    if yaml_mode:
        initial["when"] = _yaml(rule["when"]) if rule["when"] else ""
    else:
        initial.update(builder.initial_from_conditions(rule["when"]))
    return initial


def _yaml(value, width=1000):
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=width)


def _representable(rule):
    try:
        builder.initial_from_conditions(rule["when"])
    except builder.NotRepresentable as exc:
        return str(exc)
    return None


def _publish_or_preview(request, form, current, proposed, *, publish, published):
    """Validate a proposed rule set, then publish it (a redirect) or preview it.

    Returns (response, validated proposal, preview); errors land on the form and leave all
    three None.
    """
    try:
        proposed = ruleset.validate(ruleset.normalise(proposed), targets=services.known_targets())
    except ruleset.RuleSetInvalid as exc:
        for where, message in exc.errors:
            form.add_error(None, f"{where} : {message}")
        return None, None, None
    if "publish" in request.POST:
        try:
            publish()
        except DomainError as exc:
            form.add_error(None, exc.message)
            return None, None, None
        messages.success(request, published)
        return redirect("routing:history"), proposed, None
    day = form.cleaned_data["preview_date"] or engine.today()
    return None, proposed, _preview(current, proposed, day)


@membership_required(Role.COORDINATOR)
def rule_edit(request, rule_id=None):
    current = engine.current().snapshot
    original = None
    if rule_id is not None:
        original = next((r for r in current["rules"] if r["id"] == rule_id), None)
        if original is None:
            raise Http404
    # The blocks are the editing path; YAML only for what they cannot say (or when asked).
    not_representable = _representable(original) if original else None
    yaml_mode = bool(not_representable) or request.GET.get("format") == "yaml"
    targets = [(o.slug, o.name) for o in Organisation.objects.order_by("name")]
    initial = (
        _rule_initial(original, yaml_mode=yaml_mode) if original else {"kind": RuleKind.PRIMARY}
    )
    initial["base_revision"] = _latest_revision_id()
    form = RuleForm(
        request.POST or None,
        initial=initial,
        kinds=list(ruleset.KINDS.items()),
        targets=targets,
        snapshot=current,
        departments=selectors.department_choices(),
        original_when=original["when"] if original else [],
        yaml=yaml_mode,
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        when = _posted_conditions(form) if yaml_mode else form.conditions()
        if when is not None:
            rule = {
                "id": data["id"].strip(),
                "order": data["order"],
                "kind": data["kind"],
                "target": data["target"],
                "valid_from": data["valid_from"],
                "valid_until": data["valid_until"],
                "when": when,
                "explanation": data["explanation"],
            }
            rules_ = [r for r in current["rules"] if r["id"] != (rule_id or rule["id"])] + [rule]
            response, proposed, preview = _publish_or_preview(
                request,
                form,
                current,
                {"rules": rules_, "lists": current["lists"]},
                publish=lambda: services.rule_save(
                    actor=request.user,
                    rule=rule,
                    original_id=rule_id,
                    base_revision=data["base_revision"],
                    comment=data["comment"],
                ),
                published=f"La règle {rule['id']} est publiée.",
            )
            if response is not None:
                return response
            if preview is not None:
                proposed_rule = next(r for r in proposed["rules"] if r["id"] == rule["id"])
                preview["rule_text"] = ruleset.describe_rule(proposed_rule, proposed)
                preview["mismatches"] = explanations.mismatches(proposed_rule, proposed)
    return render(
        request,
        "routing/rule_edit.html",
        {
            "form": form,
            "original": original,
            "preview": preview,
            "yaml_mode": yaml_mode,
            "not_representable": not_representable,
            "blocks": None if yaml_mode else form.condition_blocks(),
        },
    )


def _posted_conditions(form):
    try:
        return yaml.safe_load(form.cleaned_data["when"] or "[]") or []
    except yaml.YAMLError:
        form.add_error("when", "Conditions illisibles : vérifiez l'indentation et les crochets.")
        return None


@membership_required(Role.COORDINATOR)
def list_edit(request, key):
    current = engine.current().snapshot
    item = next((i for i in current["lists"] if i["key"] == key), None)
    if item is None:
        raise Http404
    initial = {
        "label": item["label"],
        "items": "\n".join(f"{i['value']} ; {i['label']}" for i in item["items"]),
        "valid_from": item.get("valid_from"),
        "valid_until": item.get("valid_until"),
        "base_revision": _latest_revision_id(),
    }
    form = RuleListForm(request.POST or None, initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new_item = {
            **{k: v for k, v in item.items() if k not in ("valid_from", "valid_until")},
            "label": data["label"],
            "items": data["items"],
        }
        for bound in ("valid_from", "valid_until"):
            if data[bound]:
                new_item[bound] = data[bound].isoformat()
        response, _proposed, preview = _publish_or_preview(
            request,
            form,
            current,
            {
                "rules": current["rules"],
                "lists": [i for i in current["lists"] if i["key"] != key] + [new_item],
            },
            publish=lambda: services.rulelist_save(
                actor=request.user,
                item=new_item,
                base_revision=data["base_revision"],
                comment=data["comment"],
            ),
            published=f"La liste « {new_item['label']} » est publiée.",
        )
        if response is not None:
            return response
    return render(
        request, "routing/list_edit.html", {"form": form, "item": item, "preview": preview}
    )


@membership_required(Role.COORDINATOR)
def history(request):
    return render(
        request,
        "routing/history.html",
        {"revisions": selectors.revisions()[:100], "latest": _latest_revision_id()},
    )


@membership_required(Role.COORDINATOR)
def revision_detail(request, pk):
    revision = get_object_or_404(RuleSetRevision.objects.select_related("author"), pk=pk)
    if request.method == "POST":
        # Going back is a new publication of the old snapshot: the history stays linear.
        try:
            base = int_parse(request.POST.get("base_revision"), field="base_revision")
            restored = services.ruleset_revert(
                actor=request.user, revision=revision, base_revision=base or None
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            if restored is None:
                messages.info(request, "Ces règles sont déjà celles en vigueur.")
            else:
                messages.success(
                    request,
                    f"Retour à la révision n° {revision.pk} : ses règles sont republiées "
                    f"(révision n° {restored.pk}).",
                )
            return redirect("routing:history")
    changes = [
        {
            **change,
            "before_text": _yaml(change["before"], 100) if change["before"] else "",
            "after_text": _yaml(change["after"], 100) if change["after"] else "",
        }
        for change in revision.changes
    ]
    latest = _latest_revision_id()
    return render(
        request,
        "routing/revision_detail.html",
        {"revision": revision, "changes": changes, "latest": latest},
    )
