"""Reports read from a streaming replica; a person who has just written reads the primary.

The replica's replay is paused, so that it visibly lags: another person's dashboard shows the
replica's older figures, while the manager who just saved their operator's profile sees the
primary's at once (read-your-writes). Own clusters on other ports, never the shared one.
"""

import http.cookiejar
import urllib.parse
import urllib.request

import lxml.html
import pytest

from tests.faults.clusters import primary_create, replica_create
from tests.faults.harness import free_port, wait_until

EXPORT = "/indicateurs/export/journalier.csv?periode=12m"


@pytest.fixture
def clusters():
    primary = primary_create()
    replica = None
    try:
        replica = replica_create(primary)
        yield primary, replica
    finally:
        if replica is not None:
            replica.drop()
        primary.drop()


class Browser:
    """A person with cookies, speaking to the server over HTTP."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path):
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.read().decode()

    def submit(self, path, form_index=0, **changes):
        """Post back a page's form with its current values, some of them changed."""
        page = lxml.html.fromstring(self.get(path))
        form = [f for f in page.forms if f.method.upper() == "POST"][form_index]
        values = dict(form.form_values())
        values.update(changes)
        data = urllib.parse.urlencode(values).encode()
        request = urllib.request.Request(
            urllib.parse.urljoin(self.base + path, form.action or path),
            data=data,
            headers={"Referer": self.base + path},
        )
        with self.opener.open(request, timeout=30) as response:
            return response.read().decode()

    def sign_in(self, email):
        self.submit("/connexion/", username=email, password="demo")
        self.forget_writes()

    def forget_writes(self):
        self.jar.clear(domain="127.0.0.1", path="/", name="maillage_ecrit")


def _caught_up(primary, replica):
    current = primary.psql("SELECT pg_current_wal_lsn()")
    return replica.psql(f"SELECT pg_last_wal_replay_lsn() >= '{current}'::pg_lsn") == "t"


def test_reports_read_the_replica_and_a_writer_reads_their_writes(instance_factory, clusters):
    primary, replica = clusters
    instance = instance_factory(
        database_url=primary.url,
        DATABASE_REPLICA_URL=replica.url,
        MAILLAGE_READ_YOUR_WRITES_SECONDS="30",
    )
    instance.manage("migrate", "--noinput")
    instance.manage("createcachetable")
    instance.manage("load-reference")
    instance.shell("from maillage.accounts import demo; demo.build()")
    instance.manage("seed", "--scale", "300", "--seed", "3")
    instance.manage("indicators", "rebuild")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    instance.spawn("serve", "--bind", f"127.0.0.1:{port}", log_name="server")
    wait_until(lambda: _up(base), timeout=60, what="le serveur répond")
    wait_until(lambda: _caught_up(primary, replica), timeout=60, what="la copie a rattrapé")

    manager, other = Browser(base), Browser(base)
    manager.sign_in("responsable@afdas.demo")
    other.sign_in("coordination@region-idf.demo")
    before_manager, before_other = manager.get(EXPORT), other.get(EXPORT)
    assert "lus sur une copie" in manager.get("/indicateurs/")

    replica.psql("SELECT pg_wal_replay_pause()")
    # New referrals reach the primary's roll-ups only: the replica now lags behind.
    instance.manage("seed", "--scale", "300", "--seed", "7")
    instance.manage("indicators", "rebuild")
    assert not _caught_up(primary, replica)

    manager.submit("/espace/mon-organisation/")  # the manager saves their operator's profile
    after_manager = manager.get(EXPORT)
    assert after_manager != before_manager  # their own change: read from the primary
    assert "lus sur une copie" not in manager.get("/indicateurs/")
    assert other.get(EXPORT) == before_other  # someone else: still the replica's figures

    replica.psql("SELECT pg_wal_replay_resume()")
    wait_until(lambda: _caught_up(primary, replica), timeout=60, what="la copie a rattrapé")
    assert other.get(EXPORT) != before_other


def _up(base):
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
            return response.status == 200
    except OSError:
        return False
