"""Requests that Maillage makes to other systems (webhooks): never towards an internal network.

The guard (SSRF): the URL must be `https` (plain `http` only where the setting allows it, never
in production); its host is resolved, and the destination is refused when ANY of its addresses
is loopback, private, link-local, multicast, reserved, unspecified or otherwise not global —
including the IPv4 addresses hidden in IPv6 forms (IPv4-mapped, 6to4, Teredo).

The check runs when a webhook is saved (`destination_check`, a French field error) and again
at each delivery (`post`): the host is resolved then, the addresses validated, and the
connection made to the validated address itself (pinned), so that a DNS answer that changes in
between (DNS rebinding) cannot lead the request inside. The Host header and, for https, the
TLS server name and certificate check stay those of the hostname. Redirects are not followed.

Every failure is summarised in French for the people who read it; the raw exception text is
never shown (it would map internal ports).
"""

import ipaddress
import logging
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import urllib3
from django.conf import settings
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    MaxRetryError,
    NewConnectionError,
    ReadTimeoutError,
    SSLError,
)

from maillage.core.errors import DomainError

logger = logging.getLogger(__name__)

CONNECT_TIMEOUT_SECONDS = 5


def read_timeout_seconds():
    """How long a receiver may take to answer (`MAILLAGE_OUTBOUND_TIMEOUT_SECONDS`, 10 s)."""
    return settings.MAILLAGE_OUTBOUND_TIMEOUT_SECONDS


def timed_out_message():
    return f"le serveur n'a pas répondu à temps ({read_timeout_seconds():g} s)"


MAX_URL_LENGTH = 500

REFUSED_INTERNAL = "adresse refusée : elle désigne un réseau interne"
REFUSED_SCHEME = "adresse refusée : seules les adresses https sont acceptées"
INVALID_URL = "adresse refusée : indiquez une adresse web complète (https://…)"
UNKNOWN_HOST = "nom d'hôte introuvable"
CONNECTION_REFUSED = "le serveur a refusé la connexion"
UNREACHABLE = "le serveur est injoignable"
CERTIFICATE = "le certificat du serveur n'a pas pu être vérifié (connexion sécurisée refusée)"
INTERRUPTED = "la connexion a été interrompue avant la réponse"
REDIRECT = "redirection non suivie"


class OutboundRefused(DomainError):
    """The destination is not acceptable; `message` is the French reason."""


@dataclass(frozen=True)
class Destination:
    scheme: str
    host: str  # the hostname as written (lower case), without brackets
    port: int
    path: str  # path and query string

    @property
    def host_header(self):
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str  # French summary; "" when delivered
    permanent: bool = False  # retrying cannot help (the destination itself is refused)

    @property
    def ok(self):
        return self.status_code is not None and 200 <= self.status_code < 300


def _allowed_networks():
    """Networks exempted from the guard: for the test suite's local receivers, never set in
    production (the setting is ignored there)."""
    if getattr(settings, "PRODUCTION", False):
        return []
    return [
        ipaddress.ip_network(n, strict=False)
        for n in getattr(settings, "MAILLAGE_OUTBOUND_ALLOWED_NETWORKS", [])
    ]


def _embedded(address):
    """The IPv4 addresses an IPv6 address carries (mapped, 6to4, Teredo)."""
    if address.version != 6:
        return []
    found = [address.ipv4_mapped, address.sixtofour]
    if address.teredo:
        found.extend(address.teredo)
    return [a for a in found if a is not None]


def address_forbidden(address) -> bool:
    """True when `address` (an `ipaddress` object or a string) designates an internal network."""
    address = ipaddress.ip_address(address)
    if any(address in network for network in _allowed_networks()):
        return False
    for candidate in (address, *_embedded(address)):
        if (
            candidate.is_loopback
            or candidate.is_private
            or candidate.is_link_local
            or candidate.is_multicast
            or candidate.is_reserved
            or candidate.is_unspecified
            or not candidate.is_global
        ):
            return True
    return False


def destination_parse(url) -> Destination:
    """Split and check the URL itself (scheme, host, port); no network access."""
    url = (url or "").strip()
    if not url or len(url) > MAX_URL_LENGTH:
        raise OutboundRefused(INVALID_URL, code="invalid_url", field="url")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise OutboundRefused(INVALID_URL, code="invalid_url", field="url") from exc
    scheme = parts.scheme.lower()
    http_allowed = getattr(settings, "MAILLAGE_OUTBOUND_ALLOW_HTTP", False)
    allowed = ("https", "http") if http_allowed else ("https",)
    if scheme not in ("http", "https") or not parts.hostname:
        raise OutboundRefused(INVALID_URL, code="invalid_url", field="url")
    if scheme not in allowed:
        raise OutboundRefused(REFUSED_SCHEME, code="https_required", field="url")
    if parts.username or parts.password:
        raise OutboundRefused(INVALID_URL, code="invalid_url", field="url")
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Destination(
        scheme=scheme,
        host=parts.hostname.lower().rstrip("."),
        port=port or (443 if scheme == "https" else 80),
        path=path,
    )


def resolve(destination) -> list[str]:
    """Every address of the host, all of them acceptable, or OutboundRefused."""
    try:
        infos = socket.getaddrinfo(
            destination.host, destination.port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
        )
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise OutboundRefused(UNKNOWN_HOST, code="unknown_host", field="url") from exc
    addresses = []
    for _family, _type, _proto, _name, sockaddr in infos:
        # An IPv6 sockaddr may carry a zone ("fe80::1%eth0"): keep the address only.
        text = sockaddr[0].split("%", 1)[0]
        if text not in addresses:
            addresses.append(text)
    if not addresses:
        raise OutboundRefused(UNKNOWN_HOST, code="unknown_host", field="url")
    if any(address_forbidden(a) for a in addresses):
        raise OutboundRefused(REFUSED_INTERNAL, code="internal_address", field="url")
    return addresses


def destination_check(url) -> Destination:
    """The check made when a webhook is saved: URL, resolution, every address acceptable."""
    destination = destination_parse(url)
    resolve(destination)
    return destination


def _summary(exc) -> str:
    if isinstance(exc, MaxRetryError) and exc.reason is not None:
        exc = exc.reason
    if isinstance(exc, SSLError):
        return CERTIFICATE
    if isinstance(exc, NewConnectionError):
        # NewConnectionError derives from ConnectTimeoutError: look at what really happened.
        cause = exc.__cause__ or exc.__context__
        if isinstance(cause, ConnectionRefusedError) or "refused" in str(exc).lower():
            return CONNECTION_REFUSED
        if isinstance(cause, TimeoutError | socket.timeout):
            return timed_out_message()
        return UNREACHABLE
    if isinstance(exc, ConnectTimeoutError | ReadTimeoutError | TimeoutError | socket.timeout):
        return timed_out_message()
    if isinstance(exc, ConnectionRefusedError):
        return CONNECTION_REFUSED
    return INTERRUPTED


def post(url, *, body: bytes, headers: dict) -> Outcome:
    """POST `body` to `url`, guarded and pinned; an Outcome whatever happens (never raises)."""
    try:
        destination = destination_parse(url)
        address = resolve(destination)[0]
    except OutboundRefused as refused:
        return Outcome(None, refused.message, permanent=refused.code != "unknown_host")
    pool_class = (
        urllib3.HTTPSConnectionPool if destination.scheme == "https" else urllib3.HTTPConnectionPool
    )
    options = {}
    if destination.scheme == "https":
        # Connect to the validated address; check the certificate and send SNI for the name.
        options = {
            "cert_reqs": "CERT_REQUIRED",
            "server_hostname": destination.host,
            "assert_hostname": destination.host,
        }
        ca_certs = getattr(settings, "MAILLAGE_OUTBOUND_CA_BUNDLE", "")
        if ca_certs:
            options["ca_certs"] = ca_certs
    pool = pool_class(
        host=address,
        port=destination.port,
        timeout=urllib3.Timeout(connect=CONNECT_TIMEOUT_SECONDS, read=read_timeout_seconds()),
        retries=False,
        maxsize=1,
        block=False,
        **options,
    )
    request_headers = {**headers, "Host": destination.host_header}
    try:
        response = pool.urlopen(
            "POST",
            destination.path,
            body=body,
            headers=request_headers,
            redirect=False,
            retries=False,
            assert_same_host=False,
            preload_content=False,
        )
        try:
            response.read(64 * 1024, decode_content=False)
        finally:
            response.release_conn()
    except (HTTPError, OSError) as exc:
        summary = _summary(exc)
        # The class name only: the message may carry internal addresses.
        logger.info("outbound POST failed: %s (%s)", summary, type(exc).__name__)
        return Outcome(None, summary)
    finally:
        pool.close()
    status = response.status
    if 200 <= status < 300:
        return Outcome(status, "")
    if 300 <= status < 400:
        return Outcome(status, REDIRECT)
    return Outcome(status, f"le serveur a répondu {status}")
