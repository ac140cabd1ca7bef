"""One log line per request: its id, no query string, no secret token, no personal data."""

import json
import logging
import re

import pytest

from maillage.core.logging import JsonFormatter, TextFormatter, log_event

pytestmark = pytest.mark.django_db


def _request_lines(caplog):
    return [r for r in caplog.records if r.name == "maillage.request"]


def test_request_line_keeps_the_search_terms_out_and_returns_its_id(client, caplog):
    caplog.set_level(logging.INFO, logger="maillage.request")
    response = client.get("/evenements/?q=Dupont&email=jeanne.dupont@example.org")
    assert response.status_code == 200
    (record,) = _request_lines(caplog)
    line = JsonFormatter().format(record)
    fields = json.loads(line)
    assert fields["event"] == "request"
    assert fields["method"] == "GET"
    assert fields["path"] == "/evenements/"
    assert fields["status"] == 200
    assert fields["duration_ms"] >= 0
    assert re.fullmatch(r"[0-9a-f]{32}", fields["request_id"])
    assert response["X-Request-ID"] == fields["request_id"]
    assert "Dupont" not in line and "example.org" not in line


def test_caller_request_id_is_kept(client, caplog):
    caplog.set_level(logging.INFO, logger="maillage.request")
    response = client.get("/evenements/", HTTP_X_REQUEST_ID="lb-7f3a-42")
    assert response["X-Request-ID"] == "lb-7f3a-42"
    (record,) = _request_lines(caplog)
    assert record.maillage_fields["request_id"] == "lb-7f3a-42"


def test_an_unsafe_request_id_is_replaced(client):
    response = client.get("/evenements/", HTTP_X_REQUEST_ID="<script>alert(1)</script>")
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_signed_link_token_is_not_logged(client, caplog):
    caplog.set_level(logging.INFO, logger="maillage.request")
    client.get("/evenements/inscription/jeton-secret-123/")
    (record,) = _request_lines(caplog)
    assert "jeton-secret-123" not in TextFormatter().format(record)
    assert record.maillage_fields["path"] == "/evenements/inscription/<token>/"


def test_signed_in_user_is_logged_by_id_only(client, caplog):
    from tests.factories import MembershipFactory

    membership = MembershipFactory(user__email="camille.martin@example.org")
    client.force_login(membership.user)
    caplog.set_level(logging.INFO, logger="maillage.request")
    client.get("/espace/")
    (record,) = _request_lines(caplog)
    line = JsonFormatter().format(record)
    assert json.loads(line)["user_id"] == membership.user.pk
    assert "camille" not in line.lower()


def test_log_event_writes_its_fields_as_json(caplog):
    logger = logging.getLogger("maillage.jobs")
    caplog.set_level(logging.INFO, logger="maillage.jobs")
    log_event(logger, "task", task_id="abc", outcome="done", duration_ms=12.5)
    fields = json.loads(JsonFormatter().format(caplog.records[-1]))
    assert fields["event"] == "task"
    assert fields["level"] == "info"
    assert fields["task_id"] == "abc" and fields["outcome"] == "done"
