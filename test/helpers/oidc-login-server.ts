/**
 * The identity provider people of the entity sign into the dashboard with: a real oidc-provider
 * (test/helpers/oidc-login-child.mjs) on loopback, with its own accounts and their claims, one
 * confidential client for plazos, discovery, RP-initiated logout, and an id token that carries
 * `groups` and `roles` as Entra ID's does. `signIn` plays the person at the provider: it follows the
 * redirects from the authorization URL, as that account, back to plazos's callback.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from '../../simulation/ports';

export type TokenMode = 'normal' | 'forge' | 'tamper' | 'expire';

export interface TestLoginServer {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Follows the provider's redirects as `account`; returns where it sends the browser back (plazos's callback with code and state). */
  signIn(authorizationUrl: string, account: string): Promise<URL>;
  /** What the token endpoint hands back from now on (see the child's header). */
  tokens(mode: TokenMode): Promise<void>;
  /** Opens a URL at the provider (its sign-out page, say) and says how it answered. */
  open(url: string): Promise<{ status: number; body: string }>;
  stop(): Promise<void>;
}

export interface LoginServerOptions {
  redirectUri: string;
  postLogoutRedirectUri: string;
  /** Account id to its claims (email, preferred_username, groups, roles...). */
  accounts: Record<string, Record<string, unknown>>;
  /** Accept plazos's callback and sign-in page on any loopback port (a browser test's app picks its port later). */
  anyLoopbackPort?: boolean;
}

export async function startLoginServer(opts: LoginServerOptions): Promise<TestLoginServer> {
  const port = await freePort();
  const clientId = 'plazos-tablero';
  const clientSecret = `secreto-${Math.random().toString(36).slice(2)}`;
  const child = spawn(process.execPath, [join(__dirname, 'oidc-login-child.mjs')], {
    env: {
      ...process.env,
      LOGIN_PORT: String(port),
      LOGIN_CLIENT_ID: clientId,
      LOGIN_CLIENT_SECRET: clientSecret,
      LOGIN_REDIRECT_URI: opts.redirectUri,
      LOGIN_POST_LOGOUT_URI: opts.postLogoutRedirectUri,
      LOGIN_ACCOUNTS: JSON.stringify(opts.accounts),
      LOGIN_ANY_LOOPBACK_PORT: opts.anyLoopbackPort ? '1' : '',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  createInterface({ input: child.stderr }).on('line', (line) => {
    if (!line.startsWith('oidc-provider WARNING')) process.stderr.write(line + '\n');
  });
  const lines = createInterface({ input: child.stdout });
  const waiting: ((line: Record<string, unknown>) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(JSON.parse(line) as Record<string, unknown>));
  const next = () =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      waiting.push(resolve);
      child.once('exit', (code) => reject(new Error(`oidc login server exited (${code})`)));
    });
  const issuer = (await next()).issuer as string;
  // Each sign-in is a new browser at the provider: a session kept there would sign the next account in as the last.
  const fetchAt = async (cookies: Map<string, string>, url: string, account?: string) => {
    const res = await fetch(url, {
      redirect: 'manual',
      headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '), ...(account ? { 'x-test-account': account } : {}) },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const i = pair.indexOf('=');
      cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
    return res;
  };
  return {
    issuer,
    clientId,
    clientSecret,
    async signIn(authorizationUrl, account) {
      let url = new URL(authorizationUrl);
      const cookies = new Map<string, string>();
      for (let hop = 0; hop < 10; hop++) {
        if (url.origin !== issuer) return url;
        const res = await fetchAt(cookies, url.href, account);
        const location = res.headers.get('location');
        if (!location) throw new Error(`the provider answered ${res.status} at ${url.pathname}: ${(await res.text()).slice(0, 300)}`);
        url = new URL(location, url);
      }
      throw new Error('the provider kept redirecting');
    },
    async tokens(mode) {
      const answered = next();
      child.stdin.write(`mode ${mode}\n`);
      await answered;
    },
    async open(url) {
      const res = await fetchAt(new Map(), url);
      return { status: res.status, body: await res.text() };
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}
