"""Every row of the CEP.md rule table: a profile it catches and a close one it does not."""

from datetime import date

import pytest

from maillage.routing.engine import decide

pytestmark = pytest.mark.django_db
Y2019, Y2020 = date(2019, 6, 1), date(2020, 6, 1)


def p(status="employed_private", department="75", **extra):
    return {"department": department, "status": status, **extra}


# (rule id, catching profile, date, expected primary, close profile it must not catch, date)
ROWS = [
    ("R0", p(department="13"), Y2020, "mon-cep", p(department="93"), Y2020),
    ("R1", p("employed_public"), Y2020, "employeur-public", p("employed_private"), Y2020),
    (
        "R2",
        p("job_seeker", disability=True),
        Y2020,
        "cheops-idf",
        p("self_employed", disability=True),
        Y2020,
    ),
    ("R3", p("job_seeker", age=20), Y2020, "arml-idf", p("employed_private", age=20), Y2020),
    ("R4", p("employed_private", cadre=True), Y2020, "apec", p("self_employed", cadre=True), Y2020),
    ("R5", p("job_seeker", age=40), Y2020, "pole-emploi", p("other", age=40), Y2020),
    ("R6a", p(employer_group="lcl"), Y2019, "agecif-cama", p(employer_group="lcl"), Y2020),
    ("R6a", p(idcc="7501"), Y2019, "agecif-cama", p(idcc="7502"), Y2019),
    (
        "R6b",
        p(employer_group="sncf"),
        Y2019,
        "unagecif",
        p("self_employed", employer_group="sncf"),
        Y2019,
    ),
    ("R6c", p(temp_worker=True), Y2019, "faf-tt", p(temp_worker=True), Y2020),
    ("R6c", p(idcc="1413"), Y2019, "faf-tt", p(idcc="1486"), Y2019),
    ("R6d", p(idcc="2642"), Y2019, "afdas", p("self_employed", idcc="2642"), Y2019),
    ("R6e", p(idcc="413"), Y2019, "unifaf-idf", p(idcc="413"), Y2020),
    ("R6f", p(idcc="2128"), Y2019, "uniformation-idf", p(idcc="2129"), Y2019),
    ("R6z", p(idcc="1486"), Y2019, "fongecif-idf", p(idcc="1486"), Y2020),
    ("R7", p("self_employed"), Y2020, "operateur-regional-idf", p("self_employed"), Y2019),
    ("R8", p("other", age=40), Y2020, "accueil-generaliste", p("other", age=25), Y2020),
]


@pytest.mark.parametrize(
    "rule,profile,on,primary,close,close_on", ROWS, ids=[f"{r[0]}-{i}" for i, r in enumerate(ROWS)]
)
def test_a_rule_catches_its_profile_and_not_a_close_one(
    rules, rule, profile, on, primary, close, close_on
):
    decision = decide(profile, on)
    assert (decision.rule, decision.primary) == (rule, primary)
    assert decision.explanation
    other = decide(close, close_on)
    assert other.rule != rule and other.primary != primary


@pytest.mark.parametrize("age,young", [(15, False), (16, True), (25, True), (26, False)])
def test_age_boundaries_of_the_missions_locales(rules, age, young):
    decision = decide(p("job_seeker", age=age), Y2020)
    assert (decision.primary == "arml-idf") is young
    assert (decision.rule == "R3") is young
    if not young:
        assert decision.primary == "pole-emploi" and "arml-idf" not in decision.alternatives


@pytest.mark.parametrize("age,listed", [(15, False), (16, True), (25, True), (26, False)])
def test_age_boundaries_of_the_young_alternative(rules, age, listed):
    decision = decide(p("employed_private", age=age), Y2020)
    assert decision.primary == "operateur-regional-idf"
    assert ("arml-idf" in decision.alternatives) is listed


@pytest.mark.parametrize(
    "on,primary,rule",
    [
        (date(2019, 12, 31), "fongecif-idf", "R6z"),
        (date(2020, 1, 1), "operateur-regional-idf", "R7"),
    ],
)
def test_the_regional_operator_takes_over_on_the_first_of_january_2020(rules, on, primary, rule):
    decision = decide(p("employed_private"), on)
    assert (decision.primary, decision.rule) == (primary, rule)


@pytest.mark.parametrize(
    "on,primary", [(date(2019, 12, 31), "afdas"), (date(2020, 1, 1), "operateur-regional-idf")]
)
def test_sector_operators_end_on_the_last_day_of_2019(rules, on, primary):
    assert decide(p(idcc="1285"), on).primary == primary


def test_self_employed_had_no_rule_in_2019_and_the_regional_operator_from_2020(rules):
    assert decide(p("self_employed"), date(2019, 12, 31)).rule == "R8"
    assert decide(p("self_employed"), date(2020, 1, 1)).rule == "R7"


def test_an_idcc_with_leading_zeros_is_the_same_agreement(rules):
    assert decide(p(idcc="0029"), Y2019).primary == "unifaf-idf"
    assert decide(p(idcc=29), Y2019).primary == "unifaf-idf"


def test_the_decision_date_defaults_to_today(rules):
    assert decide(p("employed_private")).primary == "operateur-regional-idf"
