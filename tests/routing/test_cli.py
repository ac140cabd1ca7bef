"""`maillage route` and `maillage rules`: JSON out, exit 2 with a French message, no traceback."""

import json
import subprocess
import sys
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def route(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("route", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_route_prints_the_decision_as_json(rules):
    code, out, _err = route(
        "--date", "2019-06-01", '{"department": "93", "status": "job_seeker", "age": 25}'
    )
    assert code == 0
    assert json.loads(out) == {
        "primary": "arml-idf",
        "alternatives": ["pole-emploi"],
        "rule": "R3",
        "explanation": "Vous avez entre 16 et 25 ans : les Missions locales (ARML Île-de-France) "
        "accompagnent les jeunes.",
    }


def test_omitted_optional_fields_take_their_defaults(rules):
    code, out, _err = route(
        "--date", "2020-02-01", '{"department": "75", "status": "employed_private"}'
    )
    assert code == 0 and json.loads(out)["primary"] == "operateur-regional-idf"


@pytest.mark.parametrize(
    "payload,named",
    [
        ('{"department": "75", "status": "employed_private", "agee": 30}', "agee"),
        ('{"department": "75", "status": "chomeur"}', "status"),
        ('{"department": "75", "status": "other", "age": "trente"}', "age"),
        ('{"department": "75", "status": "other", "age": 30.5}', "age"),
        ('{"department": "75", "status": "other", "disability": "oui"}', "disability"),
        ('{"department": "7", "status": "other"}', "department"),
        ('{"status": "other"}', "department"),
        ('{"department": "75", "status": "other", "employer_group": "acme"}', "employer_group"),
        ('{"department": "75", "status": "other", "idcc": "12345"}', "idcc"),
    ],
)
def test_a_bad_field_exits_2_naming_the_field_in_french(rules, payload, named):
    code, out, err = route(payload)
    assert code == 2 and out == ""
    assert named in err and err.startswith("Erreur : ")
    assert "Traceback" not in err


@pytest.mark.parametrize("payload", ['{"department": ', "[1, 2]", "null", '"75"', ""])
def test_bad_json_exits_2(rules, payload):
    code, _out, err = route(payload)
    assert code == 2 and "Erreur" in err and "JSON" in err


def test_a_bad_date_exits_2_naming_the_date(rules):
    code, _out, err = route("--date", "2019-02-30", '{"department": "75", "status": "other"}')
    assert code == 2 and "date" in err and "AAAA-MM-JJ" in err


def test_the_installed_command_exits_2_without_traceback(rules, tmp_path):
    # The real entry point, as a script calls it (Django's own argument handling included).
    result = subprocess.run(
        [sys.executable, "-m", "maillage.cli", "route", '{"department": "75", "status": 3}'],
        capture_output=True,
        text=True,
        env={
            "DJANGO_SETTINGS_MODULE": "maillage.settings",
            "MAILLAGE_VAR_DIR": str(tmp_path),
            "PATH": "",
        },
    )
    assert result.returncode == 2
    assert "status" in result.stderr and "Traceback" not in result.stderr


def rules_cmd(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("rules", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("day", ["2019-06-01", "2019-12-31", "2020-01-01", "2024-06-01"])
def test_rules_check_strict_passes_on_the_reference_rules(rules, day):
    code, out, err = rules_cmd("check", "--date", day, "--strict")
    assert code == 0, out + err
    assert "masquées) : 0" in out and "remplir : 0" in out and out.strip().endswith("OK")


def test_rules_check_reports_self_employed_as_fallback_only_in_2019(rules):
    _code, out, _err = rules_cmd("check", "--date", "2019-06-01")
    assert "situation self_employed" in out
    _code, out, _err = rules_cmd("check", "--date", "2020-06-01")
    assert "situation self_employed" not in out


def _publish(snapshot_changes):
    from maillage.routing import services
    from maillage.routing.enums import RevisionSource

    snapshot = services.snapshot_from_tables()
    snapshot_changes(snapshot)
    services.ruleset_publish(actor=None, snapshot=snapshot, source=RevisionSource.EDITOR)


def test_rules_check_strict_fails_on_a_shadowed_rule(rules):
    def shadow(snapshot):
        r5 = next(r for r in snapshot["rules"] if r["id"] == "R5")
        r5["order"] = 1  # before R2/R3/R4: every job seeker stops here
        r5["when"] = [{"field": "status", "op": "in", "value": ["job_seeker", "employed_public"]}]

    _publish(shadow)
    code, out, err = rules_cmd("check", "--date", "2020-06-01", "--strict")
    assert code == 1
    assert "R1 : masquée par R0, R5" in out
    assert "Échec" in err


def test_rules_check_strict_fails_on_an_impossible_condition(rules):
    def impossible(snapshot):
        r3 = next(r for r in snapshot["rules"] if r["id"] == "R3")
        r3["when"] = [{"field": "age", "op": "between", "value": [30, 20]}]

    _publish(impossible)
    code, out, _err = rules_cmd("check", "--date", "2020-06-01", "--strict")
    assert code == 1
    assert "R3 : âge de 30 à 20 ans" in out


def test_rules_simulate_counts_moves_between_operators(rules, tmp_path):
    proposal = tmp_path / "rules.yaml"
    from maillage.routing import services

    snapshot = services.snapshot_from_tables()
    for rule in snapshot["rules"]:
        if rule["id"] == "R3":
            rule["when"][0]["value"] = [16, 29]  # Missions locales up to 29
    import yaml

    proposal.write_text(yaml.safe_dump({"rules": snapshot["rules"]}, allow_unicode=True))
    code, out, _err = rules_cmd("simulate", "--rules", str(proposal), "--date", "2020-06-01")
    assert code == 0
    # Ages enumerated now include 29 and 30; the job seekers and "other" aged 26-29 move.
    assert "pole-emploi → arml-idf :" in out
    assert "accueil-generaliste → arml-idf :" in out
    assert "arml-idf → pole-emploi" not in out


def test_rules_simulate_with_identical_rules_moves_nothing(rules, tmp_path):
    import yaml

    from maillage.routing import services

    proposal = tmp_path / "same.yaml"
    proposal.write_text(yaml.safe_dump(services.snapshot_from_tables(), allow_unicode=True))
    code, out, _err = rules_cmd("simulate", "--rules", str(proposal))
    assert code == 0 and "changent d'opérateur : 0" in out


def test_rules_simulate_refuses_an_invalid_file_in_french(rules, tmp_path):
    proposal = tmp_path / "bad.yaml"
    proposal.write_text("- id: R1\n  order: 1\n  target: nulle-part\n  explanation: x\n")
    code, _out, err = rules_cmd("simulate", "--rules", str(proposal))
    assert code == 2
    assert "opérateur cible inconnu « nulle-part »" in err
    assert "règle par défaut" in err


def test_simulate_replays_stored_profiles_and_skips_unreadable_ones(rules):
    from maillage.routing import analysis, services

    current = services.snapshot_from_tables()
    proposed = services.snapshot_from_tables()
    next(r for r in proposed["rules"] if r["id"] == "R3")["when"][0]["value"] = [16, 29]
    stored = [
        {"department": "75", "status": "job_seeker", "age": 28},
        {"department": "75", "status": "job_seeker", "age": 40},
        {},
        {"department": "75", "status": "inconnu"},
    ]
    report = analysis.simulate(current, proposed, date(2020, 6, 1), stored=stored)
    assert report.stored_profiles == 2 and report.stored_skipped == 1
    assert dict(report.stored_moves) == {("pole-emploi", "arml-idf"): 1}


def test_simulate_mentions_stored_referral_profiles(rules, tmp_path):
    import yaml

    from maillage.routing import services

    proposal = tmp_path / "same.yaml"
    proposal.write_text(yaml.safe_dump(services.snapshot_from_tables(), allow_unicode=True))
    _code, out, _err = rules_cmd("simulate", "--rules", str(proposal))
    assert "Profils d'orientations enregistrées" in out


def test_an_argument_that_looks_like_an_option_exits_2_in_french(rules, capsys):
    code, _out, _err = route("-1e+16")
    assert code == 2
    assert "arguments invalides" in capsys.readouterr().err
