"""PostgreSQL clusters of the tests' own (never the shared one): a primary, a streaming replica."""

import shutil
import subprocess
from pathlib import Path

from tests.faults.harness import free_port

VERSION = "15"


def _run(*args, timeout=120):
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=timeout)


class Cluster:
    def __init__(self, name, port):
        self.name, self.port = name, port

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/maillage"

    @property
    def data_dir(self):
        return Path(f"/var/lib/postgresql/{VERSION}/{self.name}")

    def ctl(self, action):
        extra = ["-m", "fast"] if action in ("stop", "restart") else []
        _run("pg_ctlcluster", VERSION, self.name, action, *extra)

    def psql(self, sql, database="maillage"):
        out = _run(
            "psql",
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "-d",
            database,
            "-tAc",
            sql,
        )
        return out.stdout.strip()

    def drop(self):
        subprocess.run(
            ["pg_dropcluster", "--stop", VERSION, self.name], capture_output=True, timeout=120
        )
        # A cluster whose data directory was replaced may be left half-registered.
        shutil.rmtree(self.data_dir, ignore_errors=True)
        shutil.rmtree(f"/etc/postgresql/{VERSION}/{self.name}", ignore_errors=True)


def primary_create():
    cluster = Cluster(f"t{free_port()}", free_port())
    _run("pg_createcluster", VERSION, cluster.name, "-p", str(cluster.port), "--", "--auth=trust")
    cluster.ctl("start")
    _run("createdb", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres", "maillage")
    return cluster


def replica_create(primary):
    """A hot standby of `primary`, made with pg_basebackup and streaming replication."""
    cluster = Cluster(f"r{free_port()}", free_port())
    _run("pg_createcluster", VERSION, cluster.name, "-p", str(cluster.port), "--", "--auth=trust")
    # Empty the new cluster's data directory (kept: postgres owns it) for the base backup.
    for entry in cluster.data_dir.iterdir():
        shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    _run(
        "runuser",
        "-u",
        "postgres",
        "--",
        "pg_basebackup",
        "-h",
        "127.0.0.1",
        "-p",
        str(primary.port),
        "-U",
        "postgres",
        "-D",
        str(cluster.data_dir),
        "-R",
        "-X",
        "stream",
        timeout=300,
    )
    cluster.ctl("start")
    return cluster
