"""The rule builder: each kind of condition round-trips between the form and the rule set."""

from html import unescape

import pytest

from maillage.routing import builder, engine
from maillage.routing.forms import RuleForm
from maillage.routing.models import Rule, RuleSetRevision
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client, rules):
    membership = MembershipFactory(coordinator=True)
    client.force_login(membership.user)
    return membership


def _form(data, *, original_when=()):
    snapshot = engine.current().snapshot
    base = {
        "id": "RX",
        "order": "35",
        "kind": "primary",
        "target": "arml-idf",
        "explanation": "Essai.",
        "comment": "Essai",
    }
    return RuleForm(
        {**base, **data},
        kinds=[("primary", "Règle")],
        targets=[("arml-idf", "ARML")],
        snapshot=snapshot,
        departments=[("75", "Paris (75)"), ("93", "Seine-Saint-Denis (93)")],
        original_when=list(original_when),
    )


def _round_trip(when):
    """The form's initial values for `when`, posted back, give `when` again."""
    initial = builder.initial_from_conditions(when)
    data = {}
    for name, value in initial.items():
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value if isinstance(value, list) else str(value)
    form = _form(data, original_when=when)
    assert form.is_valid(), form.errors
    return form.conditions()


@pytest.mark.parametrize(
    "when",
    [
        [{"field": "department", "op": "in", "value": ["93", "75"]}],
        [{"field": "department", "op": "not_in_list", "value": ["departements-idf"]}],
        [{"field": "status", "op": "in", "value": ["job_seeker", "employed_private"]}],
        [{"field": "status", "op": "not_in", "value": ["other"]}],
        [{"field": "age", "op": "between", "value": [16, 25]}],
        [{"field": "age", "op": "between", "value": [None, 25]}],
        [{"field": "age", "op": "between", "value": [50, None]}],
        [{"field": "disability", "op": "is", "value": True}],
        [{"field": "temp_worker", "op": "is", "value": False}],
        [{"field": "cadre", "op": "is", "value": True}],
        [{"field": "employer_group", "op": "in", "value": ["sncf", "edf"]}],
        [{"field": "employer_group", "op": "in_list", "value": ["employeurs-unagecif"]}],
        [{"field": "idcc", "op": "in", "value": ["1486", "29"]}],
        [{"field": "idcc", "op": "not_in_list", "value": ["idcc-afdas", "idcc-unifaf"]}],
        # R2's order (disability before status) is kept: an untouched rule publishes nothing.
        [
            {"field": "disability", "op": "is", "value": True},
            {"field": "status", "op": "in", "value": ["job_seeker", "employed_private"]},
        ],
        # R6a: an "any" group between two plain conditions.
        [
            {"field": "status", "op": "in", "value": ["employed_private"]},
            {
                "any": [
                    {
                        "field": "employer_group",
                        "op": "in_list",
                        "value": ["employeurs-agecif-cama"],
                    },
                    {"field": "idcc", "op": "in_list", "value": ["idcc-agecif-cama"]},
                ]
            },
        ],
    ],
)
def test_each_kind_of_condition_round_trips(rules, when):
    assert _round_trip(when) == when


def test_every_reference_rule_fits_the_form_and_round_trips(rules):
    for rule in engine.current().snapshot["rules"]:
        assert _round_trip(rule["when"]) == rule["when"], rule["id"]


def test_a_rule_the_form_cannot_express_is_edited_as_yaml(coordinator, client):
    twice = [
        {"field": "age", "op": "between", "value": [16, 25]},
        {"field": "age", "op": "between", "value": [18, 20]},
    ]
    with pytest.raises(builder.NotRepresentable):
        builder.initial_from_conditions(twice)


def test_a_lone_or_condition_is_refused(rules):
    form = _form({"cadre": "oui", "cadre_any": "on", "status_op": "in", "status_values": ["other"]})
    assert form.is_valid()
    assert form.conditions() is None
    assert "au moins une autre condition « ou »" in str(form.errors["cadre_any"])


def test_an_operator_without_values_is_refused_on_its_field(rules):
    form = _form({"department_op": "in", "idcc_op": "in", "idcc_values": "12a"})
    assert form.is_valid()
    assert form.conditions() is None
    assert "Cochez ou saisissez au moins une valeur" in str(form.errors["department_values"])
    assert "1 à 4 chiffres" in str(form.errors["idcc_values"])


def test_ages_in_the_wrong_order_are_refused(rules):
    form = _form({"age_min": "30", "age_max": "16"})
    assert form.is_valid() and form.conditions() is None
    assert "inférieur à l'âge minimum" in form.errors["age_max"][0]


def test_the_edit_page_shows_blocks_with_the_rule_checked(coordinator, client):
    html = unescape(client.get("/espace/aiguillage/regles/R2/").content.decode())
    assert "<legend>Reconnaissance de handicap</legend>" in html
    assert '<option value="oui" selected>Oui</option>' in html
    assert 'name="status_values" value="job_seeker"' in html
    assert 'value="job_seeker" id="id_status_values_3" checked' in html
    assert "Seine-Saint-Denis (93)" in html  # departments by name, from the reference table
    assert 'name="when"' not in html  # no YAML on the editing path


def test_an_untouched_rule_posted_from_the_form_publishes_nothing(coordinator, client):
    before = RuleSetRevision.objects.count()
    data = {
        "id": "R6a",
        "order": "60",
        "kind": "primary",
        "target": "agecif-cama",
        "valid_until": "2019-12-31",
        "explanation": Rule.objects.get(rule_id="R6a").explanation,
        "comment": "Sans changement",
        "status_op": "in",
        "status_values": ["employed_private"],
        "employer_group_op": "in_list",
        "employer_group_lists": ["employeurs-agecif-cama"],
        "employer_group_any": "on",
        "idcc_op": "in_list",
        "idcc_lists": ["idcc-agecif-cama"],
        "idcc_any": "on",
        "base_revision": str(RuleSetRevision.objects.order_by("-id").first().pk),
        "publish": "1",
    }
    response = client.post("/espace/aiguillage/regles/R6a/", data)
    assert response.status_code == 302
    assert RuleSetRevision.objects.count() == before
