/**
 * The OAuth 2.0 authorization server the mail-login tests get tokens from: a real oidc-provider
 * (test/helpers/oidc-provider-child.mjs) on loopback with one confidential client allowed the
 * client-credentials grant, as Microsoft 365 or Google give an app that sends and reads mail.
 */
import { spawn } from 'node:child_process';
import type { JsonWebKey } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from '../../simulation/ports';

export interface TestOAuthServer {
  readonly issuer: string;
  readonly tokenUrl: string;
  /** RFC 7662 introspection, where a mail server checks a token it was shown. */
  readonly introspectionUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scope: string;
  /** The client a mail server authenticates as (HTTP Basic) to introspect tokens. */
  readonly introspectionClient: { id: string; secret: string };
  /** From now on every token request is refused with invalid_client, as for a disabled app. */
  revoke(): Promise<void>;
  /** From now on the service account is refused with unauthorized_client, as when its domain-wide delegation is removed. */
  undelegate(): Promise<void>;
  stop(): Promise<void>;
}

export interface OAuthServerOptions {
  /** Lifetime of each access token, in seconds (oidc-provider's ClientCredentials TTL). */
  ttlSeconds?: number;
  clientId?: string;
  clientSecret?: string;
  scope?: string;
  /** The mailbox the app is granted: a `mailbox` claim in every token, seen by introspection. */
  mailbox?: string;
  /**
   * Also an app that authenticates with a certificate (private_key_jwt), as Entra ID takes it:
   * these certificates (PEM files) are the ones uploaded to it; an expired one is refused with
   * AADSTS700027, as is one not among them.
   */
  certificateClient?: { clientId: string; certFiles: string[] };
  /**
   * Also a Google service account with domain-wide delegation: the JWT-bearer grant, checked
   * against this public key (a JWK); each token carries the impersonated mailbox as `mailbox`.
   */
  serviceAccount?: { clientEmail: string; publicJwk: JsonWebKey };
}

export async function startOAuthServer(opts: OAuthServerOptions = {}): Promise<TestOAuthServer> {
  const port = await freePort();
  const clientId = opts.clientId ?? 'plazos-test';
  const clientSecret = opts.clientSecret ?? 'secreto-de-prueba-9f3a1c';
  const scope = opts.scope ?? 'mail';
  const introspectionSecret = `introspeccion-${Math.random().toString(36).slice(2)}`;
  const child = spawn(process.execPath, [join(__dirname, 'oidc-provider-child.mjs')], {
    env: {
      ...process.env,
      OAUTH_PORT: String(port),
      OAUTH_CLIENT_ID: clientId,
      OAUTH_CLIENT_SECRET: clientSecret,
      OAUTH_SCOPE: scope,
      OAUTH_TTL_SECONDS: String(opts.ttlSeconds ?? 60),
      OAUTH_INTROSPECTION_ID: 'servidor-de-correo',
      OAUTH_INTROSPECTION_SECRET: introspectionSecret,
      OAUTH_MAILBOX: opts.mailbox ?? '',
      OAUTH_CERT_CLIENT_ID: opts.certificateClient?.clientId ?? '',
      OAUTH_CERT_CLIENT_CERTS: opts.certificateClient?.certFiles.join(',') ?? '',
      OAUTH_GOOGLE_CLIENT_EMAIL: opts.serviceAccount?.clientEmail ?? '',
      OAUTH_GOOGLE_PUBLIC_JWK: opts.serviceAccount ? JSON.stringify(opts.serviceAccount.publicJwk) : '',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // oidc-provider warns that its in-memory store and signing keys are for development: true here.
  createInterface({ input: child.stderr }).on('line', (line) => {
    if (!line.startsWith('oidc-provider WARNING')) process.stderr.write(line + '\n');
  });
  const lines = createInterface({ input: child.stdout });
  const waiting: ((line: Record<string, unknown>) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(JSON.parse(line) as Record<string, unknown>));
  const next = () =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      waiting.push(resolve);
      child.once('exit', (code) => reject(new Error(`oauth-server exited (${code})`)));
    });
  const ready = await next();
  const issuer = ready.issuer as string;
  return {
    issuer,
    tokenUrl: `${issuer}/token`,
    introspectionUrl: `${issuer}/token/introspection`,
    clientId,
    clientSecret,
    scope,
    introspectionClient: { id: 'servidor-de-correo', secret: introspectionSecret },
    async revoke() {
      const answered = next();
      child.stdin.write('revoke\n');
      await answered;
    },
    async undelegate() {
      const answered = next();
      child.stdin.write('undelegate\n');
      await answered;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}
