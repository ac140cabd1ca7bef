// A real OpenID Connect provider for the test suite, configured like ProConnect:
// scopes openid email given_name usual_name siret, acr eidas1, PKCE (S256) required,
// userinfo answered as a signed JWT, RP-initiated logout. Started and stopped by the tests.
//
// Environment: PORT, ISSUER, CLIENT_ID, CLIENT_SECRET, REDIRECT_URIS and
// POST_LOGOUT_REDIRECT_URIS (comma-separated), ACCOUNTS_FILE (JSON {sub: claims}, read on each
// sign-in so that a test can add people), ID_TOKEN_TTL (seconds; negative issues tokens that
// are already expired), OTHER_CLIENT_ID (a second client of the same provider, for the
// wrong-audience test).
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import querystring from 'node:querystring';

import Provider from 'oidc-provider';

const env = process.env;
const port = Number(env.PORT || 8701);
const issuer = env.ISSUER || `http://127.0.0.1:${port}`;
const split = (value) => (value || '').split(',').map((v) => v.trim()).filter(Boolean);
const accountsFile = env.ACCOUNTS_FILE;
const idTokenTtl = Number(env.ID_TOKEN_TTL || 3600);

function accounts() {
  if (!accountsFile || !fs.existsSync(accountsFile)) return {};
  return JSON.parse(fs.readFileSync(accountsFile, 'utf8'));
}

const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' };

function client(clientId) {
  return {
    client_id: clientId,
    client_secret: env.CLIENT_SECRET || 'secret',
    redirect_uris: split(env.REDIRECT_URIS),
    post_logout_redirect_uris: split(env.POST_LOGOUT_REDIRECT_URIS),
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
    id_token_signed_response_alg: 'RS256',
    userinfo_signed_response_alg: 'RS256',
  };
}

const clients = [client(env.CLIENT_ID || 'maillage')];
if (env.OTHER_CLIENT_ID) clients.push(client(env.OTHER_CLIENT_ID));

const configuration = {
  clients,
  jwks: { keys: [jwk] },
  cookies: { keys: ['maillage-test-provider'] },
  scopes: ['openid', 'email', 'given_name', 'usual_name', 'siret'],
  claims: {
    openid: ['sub'],
    email: ['email'],
    given_name: ['given_name'],
    usual_name: ['usual_name'],
    siret: ['siret'],
  },
  acrValues: ['eidas1'],
  pkce: { required: () => true, methods: ['S256'] },
  ttl: {
    // A function, so that a test provider may issue tokens that are already expired.
    IdToken: function idTokenExpiresIn() { return idTokenTtl; },
    AccessToken: 3600,
    AuthorizationCode: 60,
    Session: 3600,
    Grant: 3600,
    Interaction: 600,
  },
  features: {
    devInteractions: { enabled: false },
    jwtUserinfo: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: async (ctx, form) => {
        ctx.body = page('Déconnexion de ProConnect (test)', `
          <h1>Se déconnecter de ProConnect ?</h1>
          ${form}
          <button type="submit" form="op.logoutForm" name="logout" value="yes">Se déconnecter</button>`);
      },
    },
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  findAccount: async (ctx, sub) => {
    const claims = accounts()[sub];
    if (!claims) return undefined;
    return { accountId: sub, claims: async () => ({ sub, ...claims }) };
  },
};

function page(title, body) {
  return `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>${title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main>${body}</main></body></html>`;
}

const provider = new Provider(issuer, configuration);
provider.proxy = true;

function readBody(req) {
  return new Promise((resolve) => {
    let data = '';
    req.on('data', (chunk) => { data += chunk; });
    req.on('end', () => resolve(querystring.parse(data)));
  });
}

async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  const { uid, prompt, params, session } = details;
  if (req.method === 'POST' && prompt.name === 'login') {
    const body = await readBody(req);
    const email = String(body.login || '').trim().toLowerCase();
    const sub = Object.keys(accounts()).find((key) => accounts()[key].email === email);
    if (!sub) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page('ProConnect (test)', `<h1>Compte inconnu</h1><p>${email}</p>`));
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: sub } });
    return;
  }
  if (prompt.name === 'login') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page('ProConnect (test)', `
      <h1>ProConnect (fournisseur de test)</h1>
      <form method="post" action="/interaction/${uid}">
        <label for="login">Adresse e-mail professionnelle</label>
        <input id="login" name="login" type="email" autocomplete="email">
        <button type="submit">Continuer avec ProConnect</button>
      </form>`));
    return;
  }
  // Consent is implicit for ProConnect's federated services: grant what was asked.
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
  if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  if (prompt.details.missingResourceScopes) {
    for (const [indicator, scopes] of Object.entries(prompt.details.missingResourceScopes)) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
  }
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

const callback = provider.callback();
const server = http.createServer((req, res) => {
  if (req.url.startsWith('/interaction/')) {
    interaction(req, res).catch((error) => {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(String(error));
    });
    return;
  }
  callback(req, res);
});
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`ready ${issuer}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
