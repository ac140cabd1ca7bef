"""`maillage serve` runs gunicorn: a real process answers pages with DEBUG off, then stops."""

import json
import signal

from tests.servers import fetch, maillage_serve


def test_serve_runs_gunicorn_answers_pages_and_logs_one_json_line_per_request(tmp_path):
    with maillage_serve(tmp_path, env={"LOG_FORMAT": "json"}) as served:
        status, headers, body = fetch(f"{served.url}/healthz")
        assert (status, json.loads(body)["status"]) == (200, "ok")
        assert headers["Server"].startswith("gunicorn")

        status, headers, body = fetch(
            f"{served.url}/page-inconnue/?q=Dupont", headers={"X-Request-ID": "essai-42"}
        )
        assert status == 404
        assert "Cette page est introuvable" in body
        assert 'aria-label="Navigation principale"' in body
        assert headers["X-Request-ID"] == "essai-42"

        status, headers, _ = fetch(f"{served.url}/static/maillage/css/site.css")
        assert status == 200 and headers["Content-Type"].startswith("text/css")

        served.process.send_signal(signal.SIGTERM)
        assert served.process.wait(timeout=40) == 0
    # Every line is JSON (gunicorn's own included), and no access log line repeats requests.
    lines = [json.loads(line) for line in served.log().splitlines() if line.strip()]
    assert any(entry["logger"] == "gunicorn.error" for entry in lines)
    assert not any(entry["logger"] == "gunicorn.access" for entry in lines)
    (line,) = [entry for entry in lines if entry.get("request_id") == "essai-42"]
    assert line["event"] == "request"
    assert line["path"] == "/page-inconnue/"
    assert line["status"] == 404
    assert "Dupont" not in served.log()
