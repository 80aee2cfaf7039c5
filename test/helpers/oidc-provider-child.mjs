// The OAuth 2.0 authorization server of test/helpers/oauth-server.ts (npm oidc-provider), run as a child
// process: oidc-provider is an ES module with ES-module dependencies, which jest's CommonJS
// runtime cannot load. Settings come in the environment; the child prints one JSON line
// { issuer } once it listens, and takes commands on stdin ("revoke" makes every later token
// request fail as a disabled client does, with invalid_client; "undelegate" withdraws the service
// account's domain-wide delegation, as a Google Workspace admin would).
//
// Two more clients when their settings are given, each answering as its vendor does:
//  - an app that authenticates with a certificate (private_key_jwt), as Entra ID takes it: the
//    assertion names the certificate by its x5t#S256 thumbprint, and one Entra ID holds as expired
//    or does not hold is refused with AADSTS700027;
//  - a Google service account: the JWT-bearer grant (RFC 7523 §2.1), with no client credentials
//    beside the assertion, issues a token that acts as the assertion's `sub`.
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import { decodeJwt, decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import Provider from 'oidc-provider';

const port = Number(process.env.OAUTH_PORT);
const issuer = `http://127.0.0.1:${port}`;
let revoked = false;
let delegated = true;
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const GOOGLE_SCOPE = 'https://mail.google.com/';

// The certificates uploaded to the certificate app, by SHA-256 thumbprint.
const certificates = new Map(
  (process.env.OAUTH_CERT_CLIENT_CERTS ?? '')
    .split(',')
    .filter(Boolean)
    .map((file) => {
      const cert = new X509Certificate(readFileSync(file));
      return [createHash('sha256').update(cert.raw).digest('base64url'), cert];
    }),
);
const certificateClient = process.env.OAUTH_CERT_CLIENT_ID
  ? {
      client_id: process.env.OAUTH_CERT_CLIENT_ID,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [...certificates.values()].map((cert) => cert.publicKey.export({ format: 'jwk' })) },
      scope: process.env.OAUTH_SCOPE,
    }
  : null;
const googleAccount = process.env.OAUTH_GOOGLE_CLIENT_EMAIL
  ? {
      email: process.env.OAUTH_GOOGLE_CLIENT_EMAIL,
      key: await importJWK(JSON.parse(process.env.OAUTH_GOOGLE_PUBLIC_JWK), 'RS256'),
    }
  : null;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.OAUTH_CLIENT_ID,
      client_secret: process.env.OAUTH_CLIENT_SECRET,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      // Microsoft's token endpoint takes the secret in the form body; plazos sends it there.
      token_endpoint_auth_method: 'client_secret_post',
      scope: process.env.OAUTH_SCOPE,
    },
    // The mail server's own client, which may only ask whether a token it was shown is good.
    {
      client_id: process.env.OAUTH_INTROSPECTION_ID,
      client_secret: process.env.OAUTH_INTROSPECTION_SECRET,
      grant_types: [],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
    },
    ...(certificateClient ? [certificateClient] : []),
    ...(googleAccount
      ? [
          {
            client_id: googleAccount.email,
            grant_types: [JWT_BEARER],
            response_types: [],
            redirect_uris: [],
            token_endpoint_auth_method: 'none',
            scope: GOOGLE_SCOPE,
          },
        ]
      : []),
  ],
  // An app-only token names no user. Microsoft 365 looks up which mailboxes the app was granted;
  // here the token carries that grant as a claim, which Dovecot compares with the login name.
  // A service account's token acts as the one mailbox its assertion named.
  async extraTokenClaims(ctx) {
    if (ctx?.impersonated) return { mailbox: ctx.impersonated };
    return process.env.OAUTH_MAILBOX ? { mailbox: process.env.OAUTH_MAILBOX } : undefined;
  },
  scopes: [process.env.OAUTH_SCOPE, ...(googleAccount ? [GOOGLE_SCOPE] : [])],
  features: {
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    devInteractions: { enabled: false },
  },
  ttl: { ClientCredentials: Number(process.env.OAUTH_TTL_SECONDS) },
});
provider.proxy = false;
provider.on('server_error', (_ctx, err) => console.error(err));

provider.use(async (ctx, next) => {
  if (revoked && ctx.path === '/token') {
    ctx.status = 401;
    ctx.body = { error: 'invalid_client', error_description: 'client authentication failed' };
    return;
  }
  await next();
});

/** The urlencoded body, read here so the vendor rules below can look at it; oidc-provider then takes it as parsed. */
async function readForm(ctx) {
  const chunks = [];
  for await (const chunk of ctx.req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString());
}

function refuse(ctx, status, body) {
  ctx.status = status;
  ctx.body = body;
}

if (certificateClient || googleAccount) {
  provider.use(async (ctx, next) => {
    if (ctx.method !== 'POST' || ctx.path !== '/token' || !ctx.is('application/x-www-form-urlencoded')) return next();
    const form = await readForm(ctx);
    const assertion = form.get('client_assertion');
    if (certificateClient && assertion && decodeJwt(assertion).iss === certificateClient.client_id) {
      // Entra ID's answer for a certificate it does not hold, or holds as expired (error_codes as it sends them).
      const cert = certificates.get(decodeProtectedHeader(assertion)['x5t#S256']);
      const reason = !cert ? 'The key was not found.' : new Date(cert.validTo) <= new Date() ? 'The key used is expired.' : null;
      if (reason)
        return refuse(ctx, 401, {
          error: 'invalid_client',
          error_description: `AADSTS700027: Client assertion contains an invalid signature. [Reason - ${reason}]`,
          error_codes: [700027],
        });
    }
    if (googleAccount && form.get('grant_type') === JWT_BEARER && !form.has('client_id')) {
      // Google identifies the account by the assertion's iss; oidc-provider wants a client_id.
      try {
        form.set('client_id', String(decodeJwt(form.get('assertion') ?? '').iss));
      } catch {
        return refuse(ctx, 400, { error: 'invalid_grant', error_description: 'Invalid JWT.' });
      }
    }
    ctx.req.body = form.toString();
    return next();
  });
}

if (googleAccount) {
  provider.registerGrantType(
    JWT_BEARER,
    async (ctx) => {
      let payload;
      try {
        ({ payload } = await jwtVerify(ctx.oidc.params.assertion, googleAccount.key, {
          algorithms: ['RS256'],
          issuer: googleAccount.email,
          audience: `${issuer}/token`,
          maxTokenAge: '1h',
          requiredClaims: ['sub', 'exp', 'iat'],
        }));
      } catch (err) {
        // Google's wording for a key it does not hold and for a claim it does not accept.
        const signature = err.code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED';
        return refuse(ctx, 400, { error: 'invalid_grant', error_description: signature ? 'Invalid JWT Signature.' : `Invalid JWT: ${err.code}` });
      }
      if (!delegated || payload.scope !== GOOGLE_SCOPE)
        return refuse(ctx, 401, {
          error: 'unauthorized_client',
          error_description: 'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.',
        });
      ctx.impersonated = payload.sub;
      const token = new provider.ClientCredentials({ client: ctx.oidc.client, scope: GOOGLE_SCOPE });
      const value = await token.save();
      ctx.body = { access_token: value, token_type: 'Bearer', expires_in: token.expiration, scope: GOOGLE_SCOPE };
    },
    ['assertion', 'scope'],
  );
}

const server = createServer(provider.callback());
server.listen(port, '127.0.0.1', () => process.stdout.write(JSON.stringify({ issuer }) + '\n'));

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() === 'revoke') {
    revoked = true;
    process.stdout.write(JSON.stringify({ revoked: true }) + '\n');
  }
  if (line.trim() === 'undelegate') {
    delegated = false;
    process.stdout.write(JSON.stringify({ delegated: false }) + '\n');
  }
});
process.stdin.on('end', () => server.close(() => process.exit(0)));
