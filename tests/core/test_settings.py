"""Production mode refuses to start without its secrets and passes `check --deploy`."""

import os
import subprocess
import sys


def _maillage(*args, env):
    return subprocess.run(
        [sys.executable, "-m", "maillage.cli", *args],
        env={k: v for k, v in {**os.environ, **env}.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_without_secret_key_refuses_to_start(tmp_path):
    result = _maillage(
        "check",
        env={
            "MAILLAGE_ENV": "production",
            "SECRET_KEY": "",
            "ALLOWED_HOSTS": "maillage.fr",
            "MAILLAGE_VAR_DIR": str(tmp_path),
        },
    )
    assert result.returncode != 0
    assert "SECRET_KEY est obligatoire" in result.stderr


def test_production_without_allowed_hosts_refuses_to_start(tmp_path):
    result = _maillage(
        "check",
        env={
            "MAILLAGE_ENV": "production",
            "SECRET_KEY": "x" * 60,
            "ALLOWED_HOSTS": "",
            "MAILLAGE_VAR_DIR": str(tmp_path),
        },
    )
    assert result.returncode != 0
    assert "ALLOWED_HOSTS est obligatoire" in result.stderr


def test_production_passes_check_deploy(tmp_path):
    result = _maillage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "MAILLAGE_ENV": "production",
            "SECRET_KEY": "a-long-random-production-secret-" + "k3y" * 20,
            "ALLOWED_HOSTS": "maillage.example.fr",
            "MAILLAGE_VAR_DIR": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stderr + result.stdout


def _debug_setting(tmp_path, **env):
    result = _maillage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
        env={"MAILLAGE_VAR_DIR": str(tmp_path), "DEBUG": "", **env},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_debug_is_off_unless_a_developer_asks(tmp_path):
    assert _debug_setting(tmp_path) == "False"
    assert _debug_setting(tmp_path, DEBUG="1") == "True"
