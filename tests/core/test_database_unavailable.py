"""When the database cannot be reached: the French 503 page, the JSON 503 under /api/."""

import json
import socket

import pytest
from django.db import connection

from tests.servers import fetch, maillage_serve

# Outside the range the test servers use (tests/servers.py), so no server takes it.
NOBODY_PORT = 8119


def _unreachable_database_url():
    port = NOBODY_PORT
    with socket.socket() as sock:  # nobody listens there: every connection is refused
        assert sock.connect_ex(("127.0.0.1", port)) != 0
    return f"postgres://postgres@127.0.0.1:{port}/maillage_absente"


@pytest.fixture(scope="module")
def server_without_database(tmp_path_factory):
    """One server for the module: each test makes its own requests, none changes the server."""
    folder = tmp_path_factory.mktemp("without_database")
    with maillage_serve(folder, env={"DATABASE_URL": _unreachable_database_url()}) as served:
        yield served


def test_pages_answer_the_french_503_with_retry_after(server_without_database):
    status, headers, body = fetch(f"{server_without_database.url}/evenements/")
    assert status == 503
    assert headers["Retry-After"] == "30"
    assert "Maillage est momentanément indisponible" in body
    assert 'aria-label="Navigation principale"' in body  # the layout, rendered without the DB
    assert '<html lang="fr">' in body


def test_api_answers_json_503_unavailable(server_without_database):
    status, headers, body = fetch(f"{server_without_database.url}/api/v1/events")
    assert status == 503
    assert headers["Retry-After"] == "30"
    assert headers["Content-Type"].startswith("application/json")
    payload = json.loads(body)
    assert payload["code"] == "unavailable"
    assert payload["errors"] == []
    assert "indisponible" in payload["detail"]


def test_signed_in_visitor_gets_the_503_from_the_session_middleware(server_without_database):
    # The session cookie makes the session and membership middleware query the database
    # before any view runs.
    status, headers, body = fetch(
        f"{server_without_database.url}/espace/", headers={"Cookie": "sessionid=abcdef123456"}
    )
    assert status == 503
    assert headers["Retry-After"] == "30"
    assert "Maillage est momentanément indisponible" in body


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a PostgreSQL backend")
def test_a_killed_connection_answers_503_then_the_next_request_reconnects(client):
    import psycopg

    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    response = client.get("/api/v1/events")
    assert response.status_code == 503
    assert response.json()["code"] == "unavailable"
    response = client.get("/api/v1/events")
    assert response.status_code == 200
