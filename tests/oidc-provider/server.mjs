// A real OpenID Provider (the certified `oidc-provider` package) for the integration tests: it issues RS256 JWT access
// tokens through the client_credentials grant with a resource indicator (RFC 8707), so every token carries an `aud`.
//
//   OIDC_CONFIG='{"clients":[...],"resources":{...},"kids":["k1"]}' OIDC_HARNESS_SECRET=... node server.mjs
//
// It listens on a free loopback port and prints one line, {"issuer":"http://127.0.0.1:PORT"}. The test harness
// (tests/Supervision.Api.Tests/Harness/OidcProvider.cs) starts it; nothing else should.
//
// Config:
//   clients:   [{ client_id, client_secret, claims: {...}, overrides: { iss?, expiresInSeconds? } }]
//              `claims` are added to every access token the client gets (the names the tests map: roles, department).
//              `overrides` make the provider sign a token it should not have issued (a foreign issuer, an expired
//              lifetime) with its real key, so the API's own issuer and lifetime checks are what refuse it.
//   resources: { "<resource indicator URI>": "<audience>" }
//   kids:      key ids of the published JWKS; the first one signs. Keys are RSA 2048, made on first use per kid.
//
// Key rotation: PUT /__harness/keys {"kids":[...]} (header x-harness-secret) replaces the published JWKS and the
// signing key without a restart, as an identity provider rotating its keys does.
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import Provider from 'oidc-provider';

const config = JSON.parse(process.env.OIDC_CONFIG ?? '{}');
const harnessSecret = process.env.OIDC_HARNESS_SECRET;
if (!harnessSecret) throw new Error('OIDC_HARNESS_SECRET is required');

const clientsById = new Map((config.clients ?? []).map((c) => [c.client_id, c]));
const keysByKid = new Map();

function privateJwk(kid) {
  if (!keysByKid.has(kid)) {
    const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    keysByKid.set(kid, { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' });
  }
  return keysByKid.get(kid);
}

function buildProvider(issuer, kids) {
  const provider = new Provider(issuer, {
    clients: [...clientsById.values()].map((c) => ({
      client_id: c.client_id,
      client_secret: c.client_secret,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      scope: 'api',
    })),
    jwks: { keys: kids.map(privateJwk) },
    scopes: ['api'],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        getResourceServerInfo(_ctx, resourceIndicator) {
          const audience = config.resources?.[resourceIndicator];
          if (!audience) throw new Provider.errors.InvalidTarget();
          return { scope: 'api', audience, accessTokenFormat: 'jwt', accessTokenTTL: 300, jwt: { sign: { alg: 'RS256' } } };
        },
      },
    },
    extraTokenClaims(_ctx, token) {
      return clientsById.get(token.clientId)?.claims;
    },
    formats: {
      customizers: {
        jwt(_ctx, token, jwt) {
          const overrides = clientsById.get(token.clientId)?.overrides;
          if (overrides?.iss) jwt.payload.iss = overrides.iss;
          if (typeof overrides?.expiresInSeconds === 'number') {
            const now = Math.floor(Date.now() / 1000);
            jwt.payload.exp = now + overrides.expiresInSeconds;
            jwt.payload.iat = Math.min(jwt.payload.iat, jwt.payload.exp - 60);
          }
        },
      },
    },
  });
  provider.on('server_error', (_ctx, err) => console.error('oidc-provider server_error:', err));
  return provider;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

let handle = null;
let issuer = null;

const server = http.createServer(async (req, res) => {
  if (req.url === '/__harness/keys' && req.method === 'PUT') {
    if (req.headers['x-harness-secret'] !== harnessSecret) {
      res.writeHead(403).end();
      return;
    }
    try {
      const { kids } = JSON.parse(await readBody(req));
      handle = buildProvider(issuer, kids).callback();
      res.writeHead(204).end();
    } catch (err) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end(String(err));
    }
    return;
  }
  handle(req, res);
});

server.listen(0, '127.0.0.1', () => {
  issuer = `http://127.0.0.1:${server.address().port}`;
  handle = buildProvider(issuer, config.kids ?? ['key-1']).callback();
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});

// The harness ends this process when its tests are done; stdin closing (the harness died) ends it too.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
