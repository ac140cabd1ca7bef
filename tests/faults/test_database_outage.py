"""The PostgreSQL database stopped under load, then started again: French 503s meanwhile, the
worker waits and resumes, nothing is lost. The test makes its own cluster, never the shared one."""

import json
import subprocess
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.faults.harness import free_port, wait_until

VERSION = "15"


@pytest.fixture
def own_cluster(tmp_path):
    name, port = f"faults{free_port()}", free_port()
    subprocess.run(
        ["pg_createcluster", VERSION, name, "-p", str(port), "--", "--auth=trust"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    cluster = {"name": name, "port": port}

    def ctl(action):
        subprocess.run(
            ["pg_ctlcluster", VERSION, name, action, *(["-m", "fast"] if action == "stop" else [])],
            check=True,
            capture_output=True,
            timeout=120,
        )

    cluster["ctl"] = ctl
    try:
        ctl("start")
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "maillage"],
            check=True,
            capture_output=True,
            timeout=60,
        )
        yield cluster
    finally:
        subprocess.run(
            ["pg_dropcluster", "--stop", VERSION, name], capture_output=True, timeout=120
        )


def _get(url, **headers):
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def test_database_stopped_under_load_then_back(instance_factory, own_cluster):
    url = f"postgres://postgres@127.0.0.1:{own_cluster['port']}/maillage"
    instance = instance_factory(database_url=url, CONN_MAX_AGE="60")
    instance.manage("migrate", "--noinput")
    instance.manage("createcachetable")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    instance.spawn("serve", "--bind", f"127.0.0.1:{port}", log_name="server")
    wait_until(lambda: _ready(base), timeout=60, what="le serveur répond")
    instance.shell(
        "from maillage.core.email import email_queue\n"
        "for n in range(10):\n"
        "    email_queue(subject=f'Message {n}', body='Bonjour', to=[f'p{n}@exemple.fr'])\n"
    )

    own_cluster["ctl"]("stop")
    worker = instance.worker()  # starts while the database is away: it must wait, not exit
    with ThreadPoolExecutor(8) as pool:
        pages = list(pool.map(lambda _: _get(f"{base}/annuaire/"), range(40)))
        apis = list(pool.map(lambda _: _get(f"{base}/api/v1/organisations"), range(20)))
    assert {status for status, _, _ in pages} == {503}
    _, headers, body = pages[0]
    assert "Maillage est momentanément indisponible" in body and "Retry-After" in headers
    assert {status for status, _, _ in apis} == {503}
    assert json.loads(apis[0][2])["code"] == "unavailable"
    assert _get(f"{base}/readyz")[0] == 503
    wait_until(
        lambda: "Base de données injoignable" in instance.log("worker"),
        timeout=30,
        what="le worker dit qu'il attend la base",
    )
    assert worker.poll() is None

    own_cluster["ctl"]("start")
    wait_until(
        lambda: len(list((instance.root / "mail").glob("*.eml"))) == 10,
        timeout=90,
        what="les 10 e-mails partis au retour de la base",
    )
    wait_until(lambda: _get(f"{base}/annuaire/")[0] == 200, timeout=30, what="pages revenues")
    assert worker.poll() is None
    assert "la base de données était" not in instance.log("server")


def _ready(base):
    try:
        return _get(f"{base}/healthz")[0] == 200
    except OSError:
        return False
