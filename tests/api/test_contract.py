"""The API contract: one error shape, declared statuses, unique schemas, enums, one pagination
style, bounded input, JSON 503/500, and per-IP limits on the public routes."""

import logging
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection
from django.test import override_settings
from django.utils import timezone
from pydantic import BaseModel

from maillage.accounts.services import api_token_create
from maillage.api.main import api
from tests.events.factories import EventFactory
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

ERROR_KEYS = {"detail", "code", "errors"}


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def schema():
    return api.get_openapi_schema()


def _auth(membership):
    _token, raw = api_token_create(user=membership.user, organisation=membership.organisation)
    return {"Authorization": f"Bearer {raw}"}


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def _assert_error(response, status, code=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == ERROR_KEYS, body
    assert isinstance(body["errors"], list)
    if code:
        assert body["code"] == code, body
    return body


def _event_payload(**extra):
    start = (timezone.now() + timedelta(days=10)).replace(microsecond=0)
    return {
        "title": "Forum",
        "type": "forum",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=2)).isoformat(),
        **extra,
    }


# --- one error shape -------------------------------------------------------------------------
def test_every_kind_of_error_has_detail_code_and_errors(client, reference):
    _assert_error(client.get("/api/v1/me"), 401, "unauthenticated")
    _assert_error(client.get("/api/v1/organisations/inconnu"), 404, "not_found")
    body = _assert_error(client.get("/api/v1/events", {"date_from": "demain"}), 422, "invalid")
    assert body["errors"][0]["field"] == "date_from"
    counsellor = MembershipFactory()
    forbidden = client.get("/api/v1/referrals", {"box": "all"}, headers=_auth(counsellor))
    _assert_error(forbidden, 403)
    decision = client.post(
        "/api/v1/routing/decisions", {"status": "job_seeker"}, content_type="application/json"
    )
    assert _assert_error(decision, 422, "invalid_profile")["errors"]


def test_error_out_is_defined_once_with_its_three_fields(schema):
    components = schema["components"]["schemas"]
    error = components["ErrorOut"]
    assert set(error["required"]) == ERROR_KEYS
    assert error["properties"]["errors"]["items"]["$ref"].endswith("/FieldErrorOut")
    assert not [
        name for name in components if "Error" in name and name not in ("ErrorOut", "FieldErrorOut")
    ]


def test_every_operation_declares_its_error_statuses_with_the_one_schema(schema):
    for path, method, operation in _operations(schema):
        responses = {str(code): value for code, value in operation["responses"].items()}
        where = f"{method.upper()} {path}"
        assert {"422", "503"} <= set(responses), where
        secured = operation.get("security") and {} not in operation["security"]
        if secured:
            assert "401" in responses, where
        for code, response in responses.items():
            if int(code) >= 400:
                ref = response["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/ErrorOut", where


def test_the_throttled_operations_declare_429(schema):
    paths = schema["paths"]
    assert "429" in {str(c) for c in paths["/api/v1/routing/decisions"]["post"]["responses"]}
    registration = paths["/api/v1/events/{event_id}/registrations"]["post"]["responses"]
    assert "429" in {str(c) for c in registration}


# --- unparseable bodies and bad ids ----------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("{pas du json", "application/json"),
        ("titre=Forum", "text/plain"),
        ("[1, 2]", "application/json"),
    ],
)
def test_an_unreadable_body_is_a_french_422(client, body, content_type):
    manager = MembershipFactory(manager=True)
    response = client.post(
        "/api/v1/events", body, content_type=content_type, headers=_auth(manager)
    )
    body = _assert_error(response, 422)
    assert body["code"] in ("invalid_body", "invalid")
    assert "Cannot" not in body["detail"] and body["errors"], body


def test_an_unreadable_body_on_a_public_route_is_a_french_422(client):
    event = EventFactory()
    response = client.post(
        f"/api/v1/events/{event.pk}/registrations", "{", content_type="application/json"
    )
    assert _assert_error(response, 422, "invalid_body")["detail"].startswith("Le corps")


@pytest.mark.parametrize("bad", ["abc", "-1", "0", "99999999999999999999", "9" * 40, "1.5"])
def test_a_malformed_path_id_is_a_422_and_a_missing_one_a_404(client, bad):
    body = _assert_error(client.get(f"/api/v1/events/{bad}"), 422, "invalid")
    assert body["errors"][0]["field"] == "event_id"
    _assert_error(client.get("/api/v1/events/9223372036854775807"), 404, "not_found")


def test_an_unsupported_method_is_a_json_405_with_allow(client):
    response = client.put("/api/v1/events", {}, content_type="application/json")
    _assert_error(response, 405, "method_not_allowed")
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}


# --- schemas: unique names, enums ------------------------------------------------------------
def _models_reachable_from_operations():
    seen = {}

    def visit(model):
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return
        if model in seen.get(model.__name__, ()):
            return
        seen.setdefault(model.__name__, set()).add(model)
        for field in model.model_fields.values():
            for arg in _type_args(field.annotation):
                visit(arg)

    for bound_router in api._get_bound_routers():
        for path_view in bound_router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.response_models.values():
                    visit(model)
                for model in operation.models:
                    visit(model)
    return seen


def _type_args(annotation):
    yield annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        yield from _type_args(arg)


def test_no_two_schemas_share_a_name():
    seen = _models_reachable_from_operations()
    assert seen, "no model found"
    shared = {name: classes for name, classes in seen.items() if len(classes) > 1}
    # ninja's own wrappers ("Response", "Input"…) are not components; ours must be unique.
    ours = {
        name: classes
        for name, classes in shared.items()
        if any(c.__module__.startswith("maillage.") for c in classes)
    }
    assert not ours, ours


def test_routing_decisions_are_documented_with_their_own_schema(schema, client):
    operation = schema["paths"]["/api/v1/routing/decisions"]["post"]
    ref = operation["responses"][200]["content"]["application/json"]["schema"]["$ref"]
    documented = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    body = client.post(
        "/api/v1/routing/decisions",
        {"department": "75", "status": "job_seeker"},
        content_type="application/json",
    ).json()
    assert set(body) == set(documented["properties"]) == set(documented["required"])
    meeting = schema["components"]["schemas"]["MeetingOut"]["properties"]["decisions"]
    assert meeting["items"]["$ref"].endswith("/GovernanceDecisionOut")


def test_enumerations_are_enums(schema):
    components = schema["components"]["schemas"]
    referrals = schema["paths"]["/api/v1/referrals"]["get"]["parameters"]
    box = next(p for p in referrals if p["name"] == "box")
    assert box["schema"]["enum"] == ["received", "sent", "all"]
    assert "published" in components["EventOut"]["properties"]["status"]["enum"]
    assert "forum" in components["EventIn"]["properties"]["type"]["enum"]
    assert "confirmed" in components["ManagedRegistrationOut"]["properties"]["status"]["enum"]
    assert "open" in components["ActionOut"]["properties"]["status"]["enum"]


# --- one pagination style --------------------------------------------------------------------
def test_every_list_is_paginated_the_same_way(schema):
    lists = 0
    for path, method, operation in _operations(schema):
        ok = operation["responses"].get(200, operation["responses"].get("200", {}))
        content = ok.get("content", {}).get("application/json", {}).get("schema")
        if not content:
            continue
        assert content.get("type") != "array", f"{method} {path}: unpaginated list"
        name = content.get("$ref", "").rsplit("/", 1)[-1]
        properties = schema["components"]["schemas"].get(name, {}).get("properties", {})
        if "results" in properties:
            lists += 1
            assert set(properties) == {"count", "next", "previous", "results"}, path
            names = {p["name"]: p["schema"] for p in operation["parameters"]}
            assert names["page"]["minimum"] == 1, path
            assert names["page_size"]["maximum"] == 100, path
    assert lists >= 10


def test_pages_links_and_bounds(client):
    for _ in range(3):
        EventFactory()
    first = client.get("/api/v1/events", {"page_size": 2})
    body = first.json()
    assert (body["count"], len(body["results"]), body["previous"]) == (3, 2, None)
    second = client.get(body["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None
    assert "page=1" in second["previous"]
    beyond = client.get("/api/v1/events", {"page": 50}).json()
    assert beyond["count"] == 3 and beyond["results"] == [] and beyond["next"] is None
    for params in ({"page": 0}, {"page_size": 101}, {"page_size": 0}, {"page": 10**20}):
        response = client.get("/api/v1/events", params)
        body = _assert_error(response, 422)
        assert body["errors"][0]["field"] in params, body
        assert body["errors"][0]["message"].startswith("La valeur doit être")


def test_a_huge_page_of_the_library_is_not_a_500(client):
    assert client.get("/api/v1/library", {"page": 10**20}).status_code == 422
    assert client.get("/api/v1/library", {"page": 2**31 - 1}).json()["results"] == []
    assert client.get("/api/v1/library", {"offset": 10**20}).status_code == 200


# --- bounded input ---------------------------------------------------------------------------
@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1899-12-31", "0", "2020-02-30"])
def test_out_of_range_dates_are_a_french_422(client, day):
    body = _assert_error(client.get("/api/v1/events", {"date_from": day}), 422)
    (error,) = body["errors"]
    assert error["field"] == "date_from"
    assert error["message"] in (
        "Saisissez une date valide au format AAAA-MM-JJ, entre 1900 et 2100.",
        "Une date au format AAAA-MM-JJ est attendue.",
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [("capacity", 10**30), ("capacity", 2**31), ("offer_hours", 10**30), ("reminder_days", -1)],
)
def test_out_of_range_numbers_are_a_french_422(client, field, value):
    manager = MembershipFactory(manager=True)
    response = client.post(
        "/api/v1/events",
        _event_payload(**{field: value}),
        content_type="application/json",
        headers=_auth(manager),
    )
    body = _assert_error(response, 422)
    assert body["errors"][0]["field"] == field
    assert body["errors"][0]["message"].startswith("La valeur doit être")


def test_an_out_of_range_event_time_is_a_french_422(client):
    manager = MembershipFactory(manager=True)
    response = client.post(
        "/api/v1/events",
        _event_payload(starts_at="0001-01-01T10:00:00"),
        content_type="application/json",
        headers=_auth(manager),
    )
    assert _assert_error(response, 422)["errors"][0]["field"] == "starts_at"


def test_an_out_of_range_routing_date_is_a_french_422(client, reference):
    response = client.post(
        "/api/v1/routing/decisions",
        {"department": "75", "status": "job_seeker", "date": "0001-01-01"},
        content_type="application/json",
    )
    assert _assert_error(response, 422)["errors"][0]["field"] == "date"
    rules = client.get("/api/v1/routing/rules", {"date": "9999-12-31"})
    assert _assert_error(rules, 422)["errors"][0]["field"] == "date"


def test_out_of_range_indicator_dates_are_a_french_422(client):
    coordinator = MembershipFactory(coordinator=True)
    response = client.get(
        "/api/v1/indicators/delays", {"from": "0001-01-01"}, headers=_auth(coordinator)
    )
    assert _assert_error(response, 422)["errors"][0]["field"] == "from"


# --- database unavailable, unexpected errors -------------------------------------------------
def test_an_unreachable_database_is_a_json_503_with_retry_after(client):
    def refuse(execute, sql, params, many, context):
        raise OperationalError("database is locked")

    with connection.execute_wrapper(refuse):
        response = client.get("/api/v1/organisations")
    body = _assert_error(response, 503, "unavailable")
    assert body["detail"] == "Maillage est momentanément indisponible. Réessayez dans un instant."
    assert response["Retry-After"] == "30"


def test_an_unexpected_error_is_a_logged_json_500(client, caplog):
    def explode(execute, sql, params, many, context):
        raise ZeroDivisionError("boom")

    with (
        caplog.at_level(logging.ERROR, logger="maillage.api"),
        connection.execute_wrapper(explode),
    ):
        response = client.get("/api/v1/organisations")
    body = _assert_error(response, 500, "server_error")
    assert "boom" not in body["detail"]
    assert any("ZeroDivisionError" in (r.exc_text or "") for r in caplog.records)


# --- rate limits -----------------------------------------------------------------------------
# Written against the behaviour (accepted, then a 429 in the API's shape), not one rate: the
# rates are settings.
MOST = 100


def _register(client, event, n, address="203.0.113.7", **extra):
    return client.post(
        f"/api/v1/events/{event.pk}/registrations",
        {"first_name": "Anna", "last_name": "Test", "email": f"anna{n}@exemple.fr"},
        content_type="application/json",
        REMOTE_ADDR=address,
        **extra,
    )


def _until_refused(send):
    """The answers of `send()` up to the first 429 (MOST at most)."""
    answers = []
    for n in range(MOST):
        response = send(n)
        answers.append(response)
        if response.status_code == 429:
            break
    return answers


def test_public_registration_is_limited_per_address(client, settings):
    settings.MAILLAGE_RATELIMIT_ENABLE = True
    event = EventFactory(capacity=200)
    answers = _until_refused(lambda n: _register(client, event, n))
    *accepted, refused = answers
    assert len(accepted) >= 10 and all(a.status_code < 300 for a in accepted)
    body = _assert_error(refused, 429, "rate_limited")
    assert "essayez" in body["detail"]
    assert int(refused["Retry-After"]) >= 1
    # Another address is not affected.
    assert _register(client, event, 999, address="203.0.113.8").status_code < 300


def test_routing_decisions_are_limited_per_address(client, reference, settings):
    settings.MAILLAGE_RATELIMIT_ENABLE = True
    body = {"department": "75", "status": "job_seeker"}

    def ask(_n):
        return client.post(
            "/api/v1/routing/decisions",
            body,
            content_type="application/json",
            REMOTE_ADDR="203.0.113.9",
        )

    *accepted, refused = _until_refused(ask)
    assert len(accepted) >= 10 and all(a.status_code == 200 for a in accepted)
    _assert_error(refused, 429, "rate_limited")
    assert int(refused["Retry-After"]) >= 1


def test_limits_can_be_turned_off_for_benchmarks(client, settings):
    settings.MAILLAGE_RATELIMIT_ENABLE = False
    event = EventFactory(capacity=200)
    assert all(_register(client, event, n).status_code < 300 for n in range(MOST))


def test_a_forwarded_for_header_does_not_escape_the_limit(client, settings):
    settings.MAILLAGE_RATELIMIT_ENABLE = True
    event = EventFactory(capacity=200)
    answers = _until_refused(lambda n: _register(client, event, n))
    assert answers[-1].status_code == 429
    spoofed = _register(client, event, 999, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert spoofed.status_code == 429


@pytest.mark.django_db(transaction=True)
def test_an_unreadable_limit_lets_the_registration_through(client, settings, caplog):
    """Specific to api/throttling.py: a cache that cannot be read is logged, not a 500."""
    settings.MAILLAGE_RATELIMIT_ENABLE = True
    event = EventFactory(capacity=10)
    missing = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "no_such_cache_table",
        }
    }
    with (
        override_settings(CACHES=missing),
        caplog.at_level(logging.ERROR, logger="maillage.api"),
    ):
        response = _register(client, event, 1)
    assert response.status_code < 300
    assert any("Limite par adresse illisible" in r.getMessage() for r in caplog.records)
