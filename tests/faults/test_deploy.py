"""The deployment files work: units that systemd accepts, a haproxy configuration haproxy
accepts, the README's application steps in a fresh virtualenv, a backup restored whole."""

import re
import secrets
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.faults.clusters import primary_create
from tests.faults.harness import REPO, free_port, wait_until

DEPLOY = REPO / "deploy"


@pytest.fixture
def cluster():
    made = primary_create()
    yield made
    made.drop()


def test_systemd_accepts_every_unit(tmp_path):
    env_file = tmp_path / "maillage.env"
    env_file.write_text((DEPLOY / "maillage.env.example").read_text())
    units = []
    for unit in sorted((DEPLOY / "systemd").iterdir()):
        text = unit.read_text()
        text = text.replace(
            "/opt/maillage/venv/bin/maillage", str(Path(sys.executable).parent / "maillage")
        )
        text = text.replace("/opt/maillage/deploy/", f"{DEPLOY}/")
        text = text.replace("/etc/maillage/maillage.env", str(env_file))
        (tmp_path / unit.name).write_text(text)
        units.append(str(tmp_path / unit.name))
    result = subprocess.run(
        ["systemd-analyze", "verify", *units], capture_output=True, text=True, timeout=60
    )
    assert len(units) == 5
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == ""


def test_haproxy_accepts_the_load_balancer_configuration():
    result = subprocess.run(
        ["haproxy", "-c", "-f", str(DEPLOY / "haproxy" / "haproxy.cfg")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _application_steps():
    readme = (DEPLOY / "README.md").read_text()
    blocks = re.findall(r"```sh\n# étape : application\n(.*?)```", readme, flags=re.S)
    return [line.split("#")[0].strip() for block in blocks for line in block.splitlines()]


def test_the_readme_steps_install_and_serve_from_a_fresh_virtualenv(tmp_path, cluster):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "--quiet", str(REPO)],
        check=True,
        timeout=600,
        capture_output=True,
    )
    env = {
        "PATH": f"{venv / 'bin'}:/usr/bin:/bin",
        "MAILLAGE_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "maillage.example.org,127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": "https://maillage.example.org",
        "SITE_URL": "https://maillage.example.org",
        "DATABASE_URL": cluster.url,
        "MAILLAGE_VAR_DIR": str(tmp_path / "var"),
        "MAILLAGE_DATA_DIR": str(REPO / "data"),
    }
    steps = _application_steps()
    assert steps and steps[0] == "maillage migrate --noinput"
    for step in steps:
        result = subprocess.run(
            step.split(), env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, f"{step}\n{result.stdout}\n{result.stderr}"
    port = free_port()
    server = subprocess.Popen(
        [str(venv / "bin" / "maillage"), "serve", "--bind", f"127.0.0.1:{port}"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until(
            lambda: _status(f"http://127.0.0.1:{port}/readyz") == 200,
            timeout=60,
            what="/readyz répond 200 derrière le répartiteur",
        )
    finally:
        server.terminate()
        server.wait(timeout=30)


def _status(url):
    try:
        request = urllib.request.Request(url, headers={"Host": "maillage.example.org"})
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except OSError:
        return None


COUNTS = """
SELECT string_agg(format('%s=%s', table_name,
       (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I', table_name),
        false, true, '')))[1]::text), ',' ORDER BY table_name)
FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
"""


def test_a_backup_restores_into_an_empty_database_with_the_same_figures(
    tmp_path, cluster, instance_factory
):
    instance = instance_factory(database_url=cluster.url)
    for step in (
        ("migrate", "--noinput"),
        ("load-reference",),
        ("seed", "--scale", "200"),
        ("indicators", "rebuild"),
    ):
        instance.manage(*step)
    dump = subprocess.run(
        [str(DEPLOY / "backup.sh"), str(tmp_path / "backups"), "14"],
        env={**instance.env},
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    ).stdout.strip()
    assert Path(dump).name.startswith("maillage-") and Path(dump).stat().st_size > 0
    subprocess.run(
        ["createdb", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres", "restored"],
        check=True,
        timeout=60,
    )
    subprocess.run(
        [
            "pg_restore",
            "--no-owner",
            "-h",
            "127.0.0.1",
            "-p",
            str(cluster.port),
            "-U",
            "postgres",
            "--dbname=restored",
            dump,
        ],
        check=True,
        timeout=300,
    )
    original, restored = cluster.psql(COUNTS), cluster.psql(COUNTS, database="restored")
    assert "referrals_referral=" in original and original == restored
    referrals = "SELECT md5(string_agg(r::text, '' ORDER BY id)) FROM referrals_referral r"
    assert cluster.psql(referrals) == cluster.psql(referrals, database="restored")
