/**
 * The web stack (stack.ts) with sign-in through a real OpenID Connect provider (oidc-provider on
 * loopback, test/helpers/oidc-login-server.ts) whose accounts carry the claims the roles file maps.
 */
import { discoverOidc } from '../../web/oidc';
import { parseRoles } from '../../web/roles';
import { startLoginServer, type LoginServerOptions, type TestLoginServer } from '../helpers/oidc-login-server';
import { BASE_URL, Browser, startStack, type Response, type Stack, type StackOptions } from './stack';

export interface OidcStack {
  stack: Stack;
  login: TestLoginServer;
  /** A new browser that chooses "Entrar con la cuenta de la entidad" and signs in at the provider as `account`. */
  signInAs(account: string, back?: string): Promise<{ browser: Browser; start: Response; callback: URL; res: Response }>;
  stop(): Promise<void>;
}

export async function startOidcStack(
  taskQueue: string,
  opts: { accounts: LoginServerOptions['accounts']; roles: string; knownAreas: string[]; stack?: Omit<StackOptions, 'oidc'> },
): Promise<OidcStack> {
  const login = await startLoginServer({
    redirectUri: `${BASE_URL}/entrar/oidc/callback`,
    postLogoutRedirectUri: `${BASE_URL}/entrar`,
    accounts: opts.accounts,
  });
  let stack: Stack;
  try {
    const oidc = await discoverOidc({
      issuer: login.issuer,
      clientId: login.clientId,
      clientSecret: login.clientSecret,
      redirectUri: `${BASE_URL}/entrar/oidc/callback`,
      postLogoutRedirectUri: `${BASE_URL}/entrar`,
      roles: parseRoles(opts.roles, 'roles.yaml', new Set(opts.knownAreas)),
    });
    stack = await startStack(taskQueue, { ...opts.stack, oidc });
  } catch (err) {
    await login.stop();
    throw err;
  }
  return {
    stack,
    login,
    async signInAs(account, back = '/') {
      const browser = new Browser(stack.origin);
      const start = await browser.get(`/entrar/oidc?volver=${encodeURIComponent(back)}`);
      if (start.statusCode !== 303) throw new Error(`starting the sign-in answered ${start.statusCode}`);
      const callback = await login.signIn(start.headers.location!, account);
      const res = await browser.get(callback.pathname + callback.search);
      return { browser, start, callback, res };
    },
    async stop() {
      await stack.stop();
      await login.stop();
    },
  };
}
