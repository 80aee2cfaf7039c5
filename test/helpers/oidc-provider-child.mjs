// The OAuth 2.0 authorization server of test/helpers/oauth-server.ts (npm oidc-provider), run as a child
// process: oidc-provider is an ES module with ES-module dependencies, which jest's CommonJS
// runtime cannot load. Settings come in the environment; the child prints one JSON line
// { issuer } once it listens, and takes commands on stdin ("revoke" makes every later token
// request fail as a disabled client does, with invalid_client).
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import Provider from 'oidc-provider';

const port = Number(process.env.OAUTH_PORT);
const issuer = `http://127.0.0.1:${port}`;
let revoked = false;

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
  ],
  // An app-only token names no user. Microsoft 365 looks up which mailboxes the app was granted;
  // here the token carries that grant as a claim, which Dovecot compares with the login name.
  async extraTokenClaims() {
    return process.env.OAUTH_MAILBOX ? { mailbox: process.env.OAUTH_MAILBOX } : undefined;
  },
  scopes: [process.env.OAUTH_SCOPE],
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

const server = createServer(provider.callback());
server.listen(port, '127.0.0.1', () => process.stdout.write(JSON.stringify({ issuer }) + '\n'));

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() === 'revoke') {
    revoked = true;
    process.stdout.write(JSON.stringify({ revoked: true }) + '\n');
  }
});
process.stdin.on('end', () => server.close(() => process.exit(0)));
