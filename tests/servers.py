"""A real `maillage serve` (gunicorn) process for tests: started on a free port of the range,
stopped by the test. Its stderr (gunicorn's and Maillage's logs) is kept in a file.

Under xdist each worker probes only its own share of the range (every n-th port), so two
workers never pick the same free port; within a worker, tests run one after the other."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path


def _worker_ports():
    ports = range(int(os.environ.get("MAILLAGE_TEST_PORT_FROM", "8105")), 8119)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")  # "gw3": the fourth worker
    count = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    return ports[int(worker.removeprefix("gw")) % count :: count]


PORTS = _worker_ports()


def port_free():
    """A port of this worker's share of the test range that nobody listens on."""
    for port in PORTS:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("aucun port libre dans la plage de test")


def fetch(url, *, method="GET", headers=None, data=None, timeout=30):
    """(status, headers, body text) — error statuses included, never raised."""
    request = urllib.request.Request(url, method=method, headers=headers or {}, data=data)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, answer.headers, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


class Served:
    def __init__(self, process, url, log_path):
        self.process, self.url, self.log_path = process, url, log_path

    def log(self):
        return Path(self.log_path).read_text()


@contextmanager
def maillage_serve(tmp_path, *, env=None, workers=1, threads=2, deadline=60):
    port = port_free()
    log_path = tmp_path / "serve.log"
    full_env = {
        k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG")
    }
    full_env.update(
        MAILLAGE_VAR_DIR=str(tmp_path / "var"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        MAILLAGE_RATELIMIT_ENABLE="0",
    )
    full_env.update(env or {})
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "maillage.cli",
                "serve",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
            ],
            env=full_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    served = Served(process, f"http://127.0.0.1:{port}", log_path)
    try:
        limit = time.monotonic() + deadline
        while True:  # until gunicorn accepts connections (or the process dies)
            if process.poll() is not None:
                raise AssertionError(f"maillage serve s'est arrêté :\n{served.log()}")
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if time.monotonic() > limit:
                raise AssertionError(f"maillage serve ne répond pas :\n{served.log()}")
            time.sleep(0.1)
        yield served
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
