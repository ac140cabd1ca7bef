"""The guard of outbound requests (SSRF): internal addresses refused at save and at delivery,
the connection pinned to the validated address, TLS checked for the hostname, no redirects.

The guard's own tests run with MAILLAGE_OUTBOUND_ALLOWED_NETWORKS empty (its default). Where a
hostname must resolve to a chosen address, the DNS answer is given by a stand-in resolver
(the DNS server is the peer here; the guard's code runs unchanged).
"""

import socket
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from maillage.core import outbound

INTERNAL = [
    "127.0.0.1",
    "127.8.9.10",
    "10.0.0.1",
    "10.255.255.254",
    "172.16.0.1",
    "172.31.255.1",
    "192.168.0.1",
    "192.168.255.255",
    "169.254.169.254",
    "::1",
    "fe80::1",
    "0.0.0.0",
    "::",
    "224.0.0.1",
    "ff02::1",
    "240.0.0.1",
    "100.64.0.1",
    "fc00::1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "2002:7f00:0001::",  # 6to4 of 127.0.0.1
    "2002:a9fe:a9fe::",  # 6to4 of 169.254.169.254
]


@pytest.fixture(autouse=True)
def guard_on(settings):
    settings.MAILLAGE_OUTBOUND_ALLOWED_NETWORKS = []
    settings.MAILLAGE_OUTBOUND_ALLOW_HTTP = True


@pytest.mark.parametrize("address", INTERNAL)
def test_every_internal_address_is_forbidden(address):
    assert outbound.address_forbidden(address)


@pytest.mark.parametrize("address", ["1.1.1.1", "93.184.216.34", "2606:4700:4700::1111"])
def test_public_addresses_are_allowed(address):
    assert not outbound.address_forbidden(address)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/",
        "http://10.0.0.5/hook",
        "http://172.16.0.1/",
        "http://192.168.1.10/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[fe80::]/",
        "http://0.0.0.0/",
        "http://localhost/",  # a DNS name resolving to 127.0.0.1
        "http://2130706433/",  # 127.0.0.1 written as one number
        "http://0x7f.1/",
        "http://[::ffff:169.254.169.254]/",
    ],
)
def test_internal_destinations_are_refused_at_save(url):
    with pytest.raises(outbound.OutboundRefused) as refused:
        outbound.destination_check(url)
    assert refused.value.message == "adresse refusée : elle désigne un réseau interne"


def test_https_only_where_http_is_not_allowed(settings):
    settings.MAILLAGE_OUTBOUND_ALLOW_HTTP = False
    with pytest.raises(outbound.OutboundRefused, match="seules les adresses https"):
        outbound.destination_check("http://1.1.1.1/")
    assert outbound.destination_check("https://1.1.1.1/").host == "1.1.1.1"


@pytest.mark.parametrize(
    "url", ["", "ftp://1.1.1.1/", "https://", "https://user:pw@1.1.1.1/", "https://1.1.1.1:99999/"]
)
def test_malformed_urls_are_refused(url):
    with pytest.raises(outbound.OutboundRefused, match="adresse web complète"):
        outbound.destination_check(url)


def test_an_unknown_host_is_reported_in_french():
    with pytest.raises(outbound.OutboundRefused, match="nom d'hôte introuvable"):
        outbound.destination_check("https://nulle-part.invalid/")


def test_the_allowed_networks_setting_is_ignored_in_production(settings):
    settings.MAILLAGE_OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    assert not outbound.address_forbidden("127.0.0.1")
    settings.PRODUCTION = True
    assert outbound.address_forbidden("127.0.0.1")


# --- at delivery: resolved again, pinned --------------------------------------------------------
@pytest.fixture
def receiver():
    """A local HTTP receiver on 127.0.0.1 that records the requests it gets."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((dict(self.headers), body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield {"port": httpd.server_port, "received": received, "httpd": httpd}
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def dns(monkeypatch):
    """A stand-in DNS for names under `.test`: `dns["name"] = [answers…]`, one per lookup."""
    answers = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if isinstance(host, str) and host.endswith(".test"):
            queue = answers.get(host) or []
            if not queue:
                raise socket.gaierror(socket.EAI_NONAME, "unknown")
            return real(queue.pop(0), port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers


def test_dns_rebinding_is_refused_at_delivery(receiver, dns):
    url = f"http://webhook.test:{receiver['port']}/hook"
    dns["webhook.test"] = ["1.1.1.1", "127.0.0.1"]
    outbound.destination_check(url)  # at save: a public address
    outcome = outbound.post(url, body=b"{}", headers={})  # at delivery: now 127.0.0.1
    assert outcome.error == "adresse refusée : elle désigne un réseau interne"
    assert outcome.permanent and receiver["received"] == []


def test_the_connection_goes_to_the_validated_address_with_the_hostname_kept(
    receiver, dns, settings
):
    settings.MAILLAGE_OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    # One answer only: had the HTTP client resolved the name again, it would fail.
    dns["webhook.test"] = ["127.0.0.1"]
    url = f"http://webhook.test:{receiver['port']}/hook?x=1"
    outcome = outbound.post(url, body=b'{"a":1}', headers={"webhook-id": "msg_1"})
    assert (outcome.ok, outcome.status_code, outcome.error) == (True, 204, "")
    ((headers, body),) = receiver["received"]
    assert headers["Host"] == f"webhook.test:{receiver['port']}"
    assert headers["webhook-id"] == "msg_1" and body == b'{"a":1}'


def test_a_closed_port_is_summarised_without_the_raw_error(settings):
    settings.MAILLAGE_OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    outcome = outbound.post(f"http://127.0.0.1:{port}/", body=b"{}", headers={})
    assert outcome.error == "le serveur a refusé la connexion" and not outcome.permanent


# --- TLS: the certificate is checked for the hostname, not the address -------------------------
@pytest.fixture(scope="module")
def certificates(tmp_path_factory):
    """A test CA and a certificate for `webhook.test` signed by it (openssl)."""
    folder = tmp_path_factory.mktemp("tls")

    def run(*args):
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True)

    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
        "-days", "2", "-subj", "/CN=Maillage test CA")  # fmt: skip
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
        "-subj", "/CN=webhook.test")  # fmt: skip
    (folder / "ext.cnf").write_text("subjectAltName=DNS:webhook.test\n")
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf")  # fmt: skip
    return folder


@pytest.fixture
def tls_receiver(receiver, certificates):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificates / "server.pem", certificates / "server.key")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), receiver["httpd"].RequestHandlerClass)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield {"port": httpd.server_port, "received": receiver["received"]}
    httpd.shutdown()
    httpd.server_close()


def test_https_is_verified_for_the_hostname(tls_receiver, certificates, dns, settings):
    settings.MAILLAGE_OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    settings.MAILLAGE_OUTBOUND_CA_BUNDLE = str(certificates / "ca.pem")
    port = tls_receiver["port"]
    dns["webhook.test"] = ["127.0.0.1"]
    assert outbound.post(f"https://webhook.test:{port}/", body=b"{}", headers={}).ok
    # Same server, another name: the certificate does not match it.
    dns["autre.test"] = ["127.0.0.1"]
    outcome = outbound.post(f"https://autre.test:{port}/", body=b"{}", headers={})
    assert "certificat" in outcome.error
    # A certificate from an authority the system does not trust.
    settings.MAILLAGE_OUTBOUND_CA_BUNDLE = ""
    dns["webhook.test"] = ["127.0.0.1"]
    outcome = outbound.post(f"https://webhook.test:{port}/", body=b"{}", headers={})
    assert "certificat" in outcome.error
    assert len(tls_receiver["received"]) == 1
