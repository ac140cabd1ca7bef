"""The warning when a rule's explanation no longer says what its conditions do."""

from html import unescape

import pytest

from maillage.routing import engine, explanations
from maillage.routing.models import RuleSetRevision
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _rule(rule_id):
    snapshot = engine.current().snapshot
    return next(r for r in snapshot["rules"] if r["id"] == rule_id), snapshot


def test_no_reference_rule_contradicts_its_explanation(rules):
    snapshot = engine.current().snapshot
    assert {r["id"]: explanations.mismatches(r, snapshot) for r in snapshot["rules"]} == {
        r["id"]: [] for r in snapshot["rules"]
    }


def test_r3_widened_to_29_while_saying_25_is_flagged(rules):
    rule, snapshot = _rule("R3")
    widened = {**rule, "when": [{**rule["when"][0], "value": [16, 29]}, rule["when"][1]]}
    (warning,) = explanations.mismatches(widened, snapshot)
    assert warning == (
        "L'explication dit « entre 16 et 25 ans » mais la condition porte sur les âges "
        "de 16 à 29 ans."
    )
    fixed = {**widened, "explanation": "Vous avez entre 16 et 29 ans : les Missions locales."}
    assert explanations.mismatches(fixed, snapshot) == []


def test_an_age_said_without_an_age_condition_is_flagged(rules):
    rule, snapshot = _rule("R3")
    no_age = {**rule, "when": [rule["when"][1]]}
    assert "pas de condition d'âge" in explanations.mismatches(no_age, snapshot)[0]


@pytest.mark.parametrize(
    "text,low,high,ok",
    [
        ("Vous avez moins de 26 ans.", 16, 25, True),
        ("Vous avez moins de 30 ans.", 16, 25, False),
        ("Les personnes de 50 ans et plus.", 50, None, True),
        ("Les personnes de plus de 45 ans.", 50, None, False),
    ],
)
def test_other_ways_of_saying_an_age(rules, text, low, high, ok):
    rule = {
        "id": "X",
        "explanation": text,
        "when": [{"field": "age", "op": "between", "value": [low, high]}],
    }
    assert (explanations.mismatches(rule, {"lists": []}) == []) is ok


def test_a_department_the_condition_leaves_out_is_flagged(rules):
    snapshot = engine.current().snapshot
    rule = {
        "id": "X",
        "explanation": "Vous habitez Paris ou la Seine-Saint-Denis (93).",
        "when": [{"field": "department", "op": "in", "value": ["93", "94"]}],
    }
    (warning,) = explanations.mismatches(rule, snapshot)
    assert warning.startswith("L'explication nomme Paris (75), qui ne fait pas partie")


def test_a_situation_the_condition_leaves_out_is_flagged(rules):
    rule, snapshot = _rule("R5")
    changed = {**rule, "when": [{"field": "status", "op": "in", "value": ["other"]}]}
    (warning,) = explanations.mismatches(changed, snapshot)
    assert "« Demandeur d'emploi », situation que la condition ne retient pas" in warning


def test_a_year_that_is_not_the_rules_dates_is_flagged(rules):
    rule, snapshot = _rule("R7")
    moved = {**rule, "valid_from": "2021-01-01"}
    (warning,) = explanations.mismatches(moved, snapshot)
    assert "cite l'année 2020" in warning and "1er janvier 2021" in warning


def test_the_preview_and_the_rules_list_show_the_warning(client, rules):
    client.force_login(MembershipFactory(coordinator=True).user)
    data = {
        "id": "R3",
        "order": "30",
        "kind": "primary",
        "target": "arml-idf",
        "age_min": "16",
        "age_max": "29",
        "status_op": "in",
        "status_values": ["job_seeker", "other"],
        "explanation": _rule("R3")[0]["explanation"],
        "comment": "Moins de 30 ans",
        "preview_date": "2020-06-01",
        "base_revision": str(RuleSetRevision.objects.order_by("-id").first().pk),
    }
    preview = unescape(
        client.post("/espace/aiguillage/regles/R3/", {**data, "preview": "1"}).content.decode()
    )
    assert "L'explication ne correspond plus à la condition" in preview
    assert "« entre 16 et 25 ans »" in preview
    # A warning, not a refusal: the coordinator may publish, and the list keeps saying it.
    client.post("/espace/aiguillage/regles/R3/", {**data, "publish": "1"})
    listing = unescape(client.get("/espace/aiguillage/regles/").content.decode())
    row = listing.split('<th scope="row">R3</th>')[1].split("</tr>")[0]
    assert "Explication à revoir" in row
    assert (
        "Explication à revoir" not in listing.split('<th scope="row">R4</th>')[1].split("</tr>")[0]
    )
