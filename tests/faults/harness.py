"""Real processes for the fault tests: an instance's worker and server, an SMTP peer, a clock.

Each test gets its own instance folder (SQLite database, mail folder) or its own PostgreSQL
cluster; the worker and server are `maillage` subprocesses, stopped by the test. Waiting is
done by polling an observable condition with a deadline, never by sleeping for a fixed time.
"""

import asyncio
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from pathlib import Path

from aiosmtpd.controller import Controller

REPO = Path(__file__).resolve().parents[2]


def free_port():
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, *, timeout, what):
    """Poll `condition` until it is true; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"délai dépassé ({timeout} s) : {what}")
        time.sleep(0.1)


# The broker queue's Redis database of these tests (its own number; flushed, nothing else).
TEST_BROKER_URL = os.environ.get("MAILLAGE_TEST_BROKER_URL", "redis://127.0.0.1:6379/7")


class Instance:
    """One Maillage instance in a folder: `manage()`, `shell()`, `worker()`, `server()`.

    `broker_url` runs its tasks on the broker queue (RQ on Redis) instead of the database
    queue; the probes (`tasks_running`, `tasks_attempted`, `last_errors`) read either."""

    def __init__(self, root, *, database_url=None, broker_url=None, **env):
        self.broker_url = broker_url
        if broker_url:
            env["MAILLAGE_TASK_BROKER_URL"] = broker_url
            self.redis().flushdb()
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.database_url = database_url or f"sqlite:///{self.root / 'maillage.sqlite3'}"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO"))},
            "DJANGO_SETTINGS_MODULE": "maillage.settings",
            "MAILLAGE_VAR_DIR": str(self.root),
            "DATABASE_URL": self.database_url,
            "DEBUG": "0",
            "MAILLAGE_WORKER_LEASE_SECONDS": "3",
            "MAILLAGE_RETRY_DELAY_SCALE": "0.02",
            "MAILLAGE_RATELIMIT_ENABLE": "0",
            "PYTHONUNBUFFERED": "1",
            **{k: str(v) for k, v in env.items()},
        }
        self.processes = []

    def command(self, *args):
        return [sys.executable, "-m", "maillage.cli", *args]

    def manage(self, *args, check=True):
        return subprocess.run(
            self.command(*args),
            env=self.env,
            cwd=REPO,
            capture_output=True,
            text=True,
            check=check,
            timeout=300,
        )

    def shell(self, code):
        return self.manage("shell", "-c", code).stdout

    def spawn(self, *args, log_name):
        log = open(self.root / f"{log_name}.log", "ab")  # noqa: SIM115 - kept open with the process
        process = subprocess.Popen(
            self.command(*args),
            env=self.env,
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def worker(self):
        return self.spawn("worker", "--interval", "0.2", log_name="worker")

    def log(self, name):
        path = self.root / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def sql(self, query):
        """One value from the instance's SQLite database (read-only, outside Django)."""
        path = self.database_url.removeprefix("sqlite:///")
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=20)) as db:
            return db.execute(query).fetchone()[0]

    def redis(self):
        import redis

        return redis.Redis.from_url(self.broker_url)

    def _broker_jobs(self):
        from rq.job import Job

        conn = self.redis()
        ids = [key.decode().removeprefix("rq:job:") for key in conn.scan_iter("rq:job:*")]
        return [job for job in Job.fetch_many(ids, connection=conn) if job is not None]

    def tasks_running(self):
        """Tasks a worker has started and not finished (its own or an abandoned one)."""
        if self.broker_url:
            return self.redis().zcard("rq:wip:default")
        return self.sql(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'"
        )

    def tasks_attempted(self, at_least):
        """How many tasks failed at least `at_least` times so far."""
        if self.broker_url:
            return sum(1 for j in self._broker_jobs() if j.meta.get("attempts", 0) >= at_least)
        return self.sql(f"SELECT count(*) FROM jobs_taskrecord WHERE attempts >= {at_least:d}")

    def last_errors(self):
        """The French reasons kept for the failed attempts."""
        if self.broker_url:
            return [j.meta["last_error"] for j in self._broker_jobs() if j.meta.get("last_error")]
        path = self.database_url.removeprefix("sqlite:///")
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=20)) as db:
            return [row[0] for row in db.execute("SELECT last_error FROM jobs_taskrecord")]

    def stop_all(self):
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)


class SmtpPeer:
    """A real SMTP server (aiosmtpd) that records each message's Message-ID.

    `hold_rcpt_of` makes it stall on the recipient of the n-th message it is sent, until
    `release()`: the moment a test needs to kill a worker in the middle of a send.
    `hold_quit_of` stalls instead on the QUIT that follows the n-th accepted message: the
    message is delivered, the client has not closed the connection yet.
    """

    def __init__(self, port, *, hold_rcpt_of=None, hold_quit_of=None):
        self.port = port
        self.message_ids = []
        self.recipients = 0
        self.hold_rcpt_of = hold_rcpt_of
        self.hold_quit_of = hold_quit_of
        self.holding = threading.Event()
        self._release = threading.Event()
        self.controller = Controller(self, hostname="127.0.0.1", port=port)

    async def _hold(self):
        self.holding.set()
        while not self._release.is_set():
            await asyncio.sleep(0.05)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.recipients += 1
        if self.hold_rcpt_of is not None and self.recipients == self.hold_rcpt_of:
            await self._hold()
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_QUIT(self, server, session, envelope):
        if self.hold_quit_of is not None and len(self.message_ids) == self.hold_quit_of:
            self.hold_quit_of = None
            await self._hold()
        return "221 Bye"

    async def handle_DATA(self, server, session, envelope):
        for line in envelope.content.decode(errors="replace").splitlines():
            if line.lower().startswith("message-id:"):
                self.message_ids.append(line.split(":", 1)[1].strip())
                break
        return "250 Message accepted for delivery"

    def release(self):
        self._release.set()

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.release()
        self.controller.stop()
