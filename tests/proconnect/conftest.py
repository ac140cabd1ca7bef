"""The test OpenID provider (a real `oidc-provider` process) and a ProConnect-enabled site."""

import re
import socket
from urllib.parse import urljoin, urlsplit

import pytest
import requests

from maillage.proconnect import client as oidc
from tests.oidc_provider.harness import CLIENT_ID, CLIENT_SECRET, OpenIDProvider


def _free_port():
    # Free ports, not fixed ones: two runs of the suite (or xdist workers) never collide.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


PORT = _free_port()
EXPIRED_PORT = _free_port()
RP = "http://testserver"


def _provider(tmp_path_factory, port, **kwargs):
    return OpenIDProvider(
        port=port,
        accounts_file=tmp_path_factory.mktemp(f"oidc{port}") / "accounts.json",
        redirect_uris=[f"{RP}/proconnect/retour/"],
        logout_uris=[f"{RP}/proconnect/deconnecte/"],
        **kwargs,
    ).start()


@pytest.fixture(scope="session")
def provider(tmp_path_factory):
    running = _provider(tmp_path_factory, PORT)
    yield running
    running.stop()


@pytest.fixture(scope="session")
def expiring_provider(tmp_path_factory):
    """A provider whose ID tokens are born five minutes expired (beyond the clock leeway)."""
    running = _provider(tmp_path_factory, EXPIRED_PORT, id_token_ttl=-300)
    yield running
    running.stop()


def _configure(settings, issuer, client_id=CLIENT_ID):
    settings.PROCONNECT_ISSUER = issuer
    settings.PROCONNECT_CLIENT_ID = client_id
    settings.PROCONNECT_CLIENT_SECRET = CLIENT_SECRET
    oidc._client.cache_clear()


@pytest.fixture
def proconnect(settings, provider):
    _configure(settings, provider.issuer)
    yield provider
    oidc._client.cache_clear()


class Browser:
    """The person's browser: the Django test client for Maillage, a session for the provider."""

    def __init__(self, client):
        self.client = client
        self.op = requests.Session()
        self.saw_login_form = False

    def follow_provider(self, url, *, email=None):
        """Walk the provider's redirects and forms until it sends us back to Maillage."""
        for _ in range(10):
            if url.startswith(RP):
                parts = urlsplit(url)
                return self.client.get(f"{parts.path}?{parts.query}")
            response = self.op.get(url, allow_redirects=False)
            if response.is_redirect:
                url = urljoin(url, response.headers["location"])
                continue
            response.raise_for_status()
            if 'name="login"' in response.text and email:
                self.saw_login_form = True
                action = re.search(r'<form method="post" action="([^"]+)"', response.text)[1]
                response = self.op.post(
                    urljoin(url, action), data={"login": email}, allow_redirects=False
                )
            elif "op.logoutForm" in response.text:
                action = re.search(r'action="([^"]+)"', response.text)[1]
                xsrf = re.search(r'name="xsrf" value="([^"]+)"', response.text)[1]
                response = self.op.post(
                    urljoin(url, action),
                    data={"xsrf": xsrf, "logout": "yes"},
                    allow_redirects=False,
                )
            else:
                raise AssertionError(f"page inattendue du fournisseur : {response.text[:300]}")
            assert response.is_redirect, response.text[:300]
            url = urljoin(url, response.headers["location"])
        raise AssertionError("trop de redirections")

    def sign_in(self, email):
        self.saw_login_form = False
        response = self.client.get("/proconnect/connexion/")
        assert response.status_code == 302, response.content[:300]
        return self.follow_provider(response["Location"], email=email)

    def sign_out(self):
        response = self.client.post("/deconnexion/")
        assert response.status_code == 302
        return self.follow_provider(urljoin(RP, response["Location"]))


@pytest.fixture
def browser(client):
    return Browser(client)
