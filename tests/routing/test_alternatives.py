"""Alternatives exactly as CEP.md says: other matching rules in table order, plus the young and
disability operators, never the primary, never twice; R0 alone; R8 never an alternative."""

from datetime import date

import pytest

from maillage.routing.engine import decide

pytestmark = pytest.mark.django_db
Y2019, Y2020 = date(2019, 6, 1), date(2020, 6, 1)


def test_other_matching_rules_come_in_table_order(rules):
    decision = decide(
        {"department": "92", "status": "job_seeker", "age": 22, "cadre": True, "disability": True},
        Y2020,
    )
    assert decision.primary == "cheops-idf"
    assert decision.alternatives == ["arml-idf", "apec", "pole-emploi"]


def test_outside_the_region_there_are_no_alternatives(rules):
    decision = decide(
        {"department": "69", "status": "job_seeker", "age": 20, "disability": True}, Y2020
    )
    assert decision.primary == "mon-cep"
    assert decision.alternatives == []


def test_the_fallback_is_never_an_alternative(rules):
    for profile in (
        {"department": "75", "status": "employed_public", "age": 40},
        {"department": "75", "status": "job_seeker", "age": 40},
        {"department": "75", "status": "self_employed", "age": 22},
    ):
        for on in (Y2019, Y2020):
            assert "accueil-generaliste" not in decide(profile, on).alternatives


def test_young_people_of_any_status_get_the_missions_locales_as_alternative(rules):
    decision = decide({"department": "75", "status": "employed_public", "age": 16}, Y2020)
    assert decision.primary == "employeur-public"
    assert decision.alternatives == ["arml-idf"]


def test_a_disability_adds_cap_emploi_even_when_no_rule_for_it_matches(rules):
    decision = decide({"department": "75", "status": "other", "age": 40, "disability": True}, Y2020)
    assert decision.primary == "accueil-generaliste"
    assert decision.alternatives == ["cheops-idf"]
    public = decide({"department": "75", "status": "employed_public", "disability": True}, Y2020)
    assert public.alternatives == ["cheops-idf"]


def test_the_primary_is_never_repeated_among_alternatives(rules):
    decision = decide({"department": "75", "status": "job_seeker", "age": 18}, Y2020)
    assert decision.primary == "arml-idf"
    assert decision.alternatives == ["pole-emploi"]


def test_a_sector_operator_and_the_regional_fund_are_alternatives_of_apec_in_2019(rules):
    cadre = decide(
        {"department": "75", "status": "employed_private", "cadre": True, "idcc": "2642"}, Y2019
    )
    assert (cadre.primary, cadre.alternatives) == ("apec", ["afdas"])
    plain = decide({"department": "75", "status": "employed_private", "cadre": True}, Y2019)
    assert plain.alternatives == ["fongecif-idf"]


def test_a_temp_worker_of_credit_agricole_sees_both_sector_operators(rules):
    decision = decide(
        {
            "department": "75",
            "status": "employed_private",
            "temp_worker": True,
            "employer_group": "credit_agricole",
        },
        Y2019,
    )
    assert (decision.primary, decision.alternatives) == ("agecif-cama", ["faf-tt"])
