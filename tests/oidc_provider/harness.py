"""Start and stop the test OpenID provider (tests/oidc_provider/provider.mjs, oidc-provider)."""

import json
import os
import subprocess
from pathlib import Path

HERE = Path(__file__).parent
CLIENT_ID = "maillage"
OTHER_CLIENT_ID = "autre-service"
CLIENT_SECRET = "secret-de-test-proconnect"


class OpenIDProvider:
    """A real provider process on 127.0.0.1:`port`; `accounts` is what it knows of people."""

    def __init__(self, *, port, accounts_file, redirect_uris, logout_uris, id_token_ttl=3600):
        self.port = port
        self.issuer = f"http://127.0.0.1:{port}"
        self.accounts_file = Path(accounts_file)
        self.env = {
            **os.environ,
            "PORT": str(port),
            "ISSUER": self.issuer,
            "CLIENT_ID": CLIENT_ID,
            "OTHER_CLIENT_ID": OTHER_CLIENT_ID,
            "CLIENT_SECRET": CLIENT_SECRET,
            "REDIRECT_URIS": ",".join(redirect_uris),
            "POST_LOGOUT_REDIRECT_URIS": ",".join(logout_uris),
            "ACCOUNTS_FILE": str(self.accounts_file),
            "ID_TOKEN_TTL": str(id_token_ttl),
        }
        self.process = None
        self.accounts = {}

    def start(self):
        if not (HERE / "node_modules" / "oidc-provider").exists():
            subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True)
        self.add_account("init", email="personne@exemple.invalid")
        self.process = subprocess.Popen(
            ["node", str(HERE / "provider.mjs")],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        # The provider prints "ready <issuer>" once it listens (or dies with its reason).
        output = []
        for line in self.process.stdout:
            if line.startswith("ready "):
                return self
            output.append(line)
        raise RuntimeError(
            f"le fournisseur OpenID de test n'a pas démarré (code {self.process.wait()}) :\n"
            + "".join(output[-20:])
        )

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def add_account(self, sub, *, email, given_name="", usual_name="", siret=""):
        self.accounts[sub] = {
            "email": email,
            "given_name": given_name,
            "usual_name": usual_name,
            "siret": siret,
        }
        self.accounts_file.write_text(json.dumps(self.accounts))
