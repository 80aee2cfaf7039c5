// The identity provider of test/helpers/oidc-login-server.ts (npm oidc-provider), run as a child
// process for the same reason as oidc-provider-child.mjs: oidc-provider is an ES module jest's
// CommonJS runtime cannot load. It signs people of the entity into plazos's dashboard: one
// confidential web client (authorization code, PKCE), accounts and their claims from the
// environment, groups and roles in the id token itself as Entra ID puts them.
//
// There is no login page: whoever follows the redirects says which account they are in an
// `x-test-account` header, and the interaction finishes at once with login and consent.
//
// Commands on stdin change what the token endpoint hands back, as a hostile network or a broken
// provider would: "mode forge" (an id token signed by another key under the provider's key id),
// "mode tamper" (a claim changed after signing), "mode expire" (signed by the provider, expired an
// hour ago), "mode normal". Each is answered with one JSON line.
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT } from 'jose';
import Provider from 'oidc-provider';

const port = Number(process.env.LOGIN_PORT);
const issuer = `http://127.0.0.1:${port}`;
const accounts = JSON.parse(process.env.LOGIN_ACCOUNTS);
const KID = 'llave-1';
let mode = 'normal';

const signing = await generateKeyPair('RS256', { extractable: true });
const other = await generateKeyPair('RS256');

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.LOGIN_CLIENT_ID,
      client_secret: process.env.LOGIN_CLIENT_SECRET,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: [process.env.LOGIN_REDIRECT_URI],
      post_logout_redirect_uris: [process.env.LOGIN_POST_LOGOUT_URI],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  jwks: { keys: [{ ...(await exportJWK(signing.privateKey)), kid: KID, alg: 'RS256', use: 'sig' }] },
  async findAccount(_ctx, id) {
    if (!accounts[id]) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...accounts[id] }) };
  },
  // Entra ID puts `groups` and `roles` in every id token of an app configured for them.
  claims: { openid: ['sub', 'groups', 'roles'], email: ['email'], profile: ['name', 'preferred_username'] },
  conformIdTokenClaims: false,
  features: {
    devInteractions: { enabled: false },
    // The provider's own sign-out page, without the web fonts of oidc-provider's default one: a
    // browser test that goes there stays on loopback.
    rpInitiatedLogout: {
      enabled: true,
      async logoutSource(ctx, form) {
        ctx.body = `<!doctype html><html lang="es"><head><title>Cerrar sesión</title></head><body>${form}<button form="op.logoutForm" type="submit">Cerrar sesión</button></body></html>`;
      },
    },
  },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  pkce: { required: () => true },
});
provider.proxy = false;
// A real browser's test does not know the app's port when the provider starts: any loopback app's
// callback and sign-in page are then accepted, as a registration listing them all would.
if (process.env.LOGIN_ANY_LOOPBACK_PORT === '1') {
  const onLoopback = (value, path) => {
    try {
      const url = new URL(value);
      return url.protocol === 'http:' && url.hostname === '127.0.0.1' && url.pathname === path && !url.search;
    } catch {
      return false;
    }
  };
  provider.Client.prototype.redirectUriAllowed = (value) => onLoopback(value, '/entrar/oidc/callback');
  provider.Client.prototype.postLogoutRedirectUriAllowed = (value) => onLoopback(value, '/entrar');
}
provider.on('server_error', (_ctx, err) => console.error(err));

provider.use(async (ctx, next) => {
  if (!ctx.path.startsWith('/interaction/')) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  const accountId = ctx.get('x-test-account');
  if (!accounts[accountId]) {
    ctx.status = 400;
    ctx.body = `no such account: ${accountId}`;
    return;
  }
  const grant = new provider.Grant({ accountId, clientId: details.params.client_id });
  grant.addOIDCScope(details.params.scope);
  const grantId = await grant.save();
  const returnTo = await provider.interactionResult(ctx.req, ctx.res, { login: { accountId }, consent: { grantId } }, { mergeWithLastSubmission: false });
  ctx.status = 303;
  ctx.redirect(returnTo);
});

provider.use(async (ctx, next) => {
  await next();
  if (mode === 'normal' || ctx.path !== '/token' || !ctx.body || typeof ctx.body.id_token !== 'string') return;
  const token = ctx.body.id_token;
  const claims = decodeJwt(token);
  const header = decodeProtectedHeader(token);
  if (mode === 'forge') {
    ctx.body = { ...ctx.body, id_token: await new SignJWT(claims).setProtectedHeader(header).sign(other.privateKey) };
  } else if (mode === 'tamper') {
    const [head, , signature] = token.split('.');
    const body = Buffer.from(JSON.stringify({ ...claims, groups: ['plazos-oapla'] })).toString('base64url');
    ctx.body = { ...ctx.body, id_token: `${head}.${body}.${signature}` };
  } else if (mode === 'expire') {
    const now = Math.floor(Date.now() / 1000);
    const stale = { ...claims, iat: now - 7200, exp: now - 3600 };
    ctx.body = { ...ctx.body, id_token: await new SignJWT(stale).setProtectedHeader(header).sign(signing.privateKey) };
  }
});

const server = createServer(provider.callback());
server.listen(port, '127.0.0.1', () => process.stdout.write(JSON.stringify({ issuer }) + '\n'));

createInterface({ input: process.stdin }).on('line', (line) => {
  const [command, value] = line.trim().split(/\s+/);
  if (command === 'mode' && ['normal', 'forge', 'tamper', 'expire'].includes(value)) {
    mode = value;
    process.stdout.write(JSON.stringify({ mode }) + '\n');
  }
});
process.stdin.on('end', () => server.close(() => process.exit(0)));
