"""POST /api/v1/routing/decisions: public, same answer as the CLI, 422 with field errors."""

import json

import pytest

from maillage.routing.models import DecisionCount, DecisionLog
from maillage.routing.services import decision_counts_fold, decision_log_flush

pytestmark = pytest.mark.django_db
URL = "/api/v1/routing/decisions"


def post(client, body):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post(URL, data, content_type="application/json")


def test_a_decision_without_any_token(client, rules):
    response = post(
        client,
        {"department": "75", "status": "job_seeker", "disability": True, "date": "2019-05-02"},
    )
    assert response.status_code == 200
    assert response.json() == {
        "primary": "cheops-idf",
        "alternatives": ["pole-emploi"],
        "rule": "R2",
        "explanation": response.json()["explanation"],
    }
    assert "Cap emploi" in response.json()["explanation"]


def test_the_date_changes_the_answer(client, rules):
    body = {"department": "75", "status": "employed_private", "employer_group": "sncf"}
    assert post(client, {**body, "date": "2019-12-31"}).json()["primary"] == "unagecif"
    assert (
        post(client, {**body, "date": "2020-01-01"}).json()["primary"] == "operateur-regional-idf"
    )


def test_invalid_fields_give_422_with_every_field_error(client, rules):
    response = post(
        client,
        {"department": "750", "status": "retired", "age": -3, "colour": "blue", "date": "hier"},
    )
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"department", "status", "age", "colour", "date"}
    assert all(error["message"] for error in response.json()["errors"])


@pytest.mark.parametrize("body", ["{", "[]", "42", "", '"x"'])
def test_a_body_that_is_not_an_object_gives_422(client, rules, body):
    response = post(client, body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "__all__"


def test_decisions_are_counted_anonymously(client, rules):
    post(client, {"department": "75", "status": "job_seeker"})
    post(client, {"department": "77", "status": "job_seeker", "age": 50})
    # The request only appends a log row; the worker's fold turns them into the daily count.
    assert DecisionCount.objects.count() == 0 and DecisionLog.objects.count() == 2
    assert decision_counts_fold() == 2
    row = DecisionCount.objects.get(primary="pole-emploi", channel="api")
    assert row.count == 2 and row.rule == "R5"
    assert DecisionLog.objects.count() == 0


def test_decisions_wait_in_the_process_and_are_written_in_one_batch(client, rules, settings):
    settings.MAILLAGE_DECISION_FLUSH_SECONDS = 3600
    decision_log_flush()
    for _ in range(3):
        assert post(client, {"department": "75", "status": "job_seeker"}).status_code == 200
    assert DecisionLog.objects.count() == 0
    assert decision_log_flush() == 3 and DecisionLog.objects.count() == 3
    assert decision_log_flush() == 0


def test_a_fold_adds_to_the_counts_already_folded(client, rules):
    post(client, {"department": "75", "status": "job_seeker"})
    decision_counts_fold()
    post(client, {"department": "75", "status": "job_seeker"})
    assert decision_counts_fold() == 1 and decision_counts_fold() == 0
    assert DecisionCount.objects.get(primary="pole-emploi", channel="api").count == 2


def test_the_rules_in_force_are_public(client, rules):
    in_2019 = [
        r["id"] for r in client.get("/api/v1/routing/rules?date=2019-06-01").json()["results"]
    ]
    in_2020 = [
        r["id"] for r in client.get("/api/v1/routing/rules?date=2020-06-01").json()["results"]
    ]
    assert "R6z" in in_2019 and "R7" not in in_2019
    assert "R7" in in_2020 and "R6z" not in in_2020
    assert client.get("/api/v1/routing/rules?date=demain").status_code == 422


def test_the_openapi_schema_documents_the_body(client, rules):
    schema = client.get("/api/v1/openapi.json").json()
    body = schema["paths"]["/api/v1/routing/decisions"]["post"]["requestBody"]
    properties = body["content"]["application/json"]["schema"]["properties"]
    assert {"department", "status", "age", "idcc", "date"} <= set(properties)
