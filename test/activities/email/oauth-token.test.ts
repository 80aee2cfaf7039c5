/**
 * The token source against a real authorization server (oidc-provider on loopback): the
 * client-credentials grant as Microsoft 365 and Google run it for an app with no user present.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { clientCredentialsTokenSource, OAuthTokenError, type OAuthClientSettings } from '../../../activities/email/oauth-token';
import { startOAuthServer, type TestOAuthServer } from '../../helpers/oauth-server';
import { closedPort } from '../../helpers/smtp';

/** A fetch that counts the requests the source makes to the token endpoint. */
function countingFetch(): { fetch: typeof fetch; count: () => number } {
  let n = 0;
  return {
    fetch: (input, init) => {
      n += 1;
      return fetch(input, init);
    },
    count: () => n,
  };
}

function settings(server: TestOAuthServer, secret = server.clientSecret): OAuthClientSettings {
  return { tokenUrl: server.tokenUrl, clientId: server.clientId, clientSecret: secret, scope: server.scope };
}

describe('an access token for the mail servers (client credentials)', () => {
  let server: TestOAuthServer;
  beforeAll(async () => {
    server = await startOAuthServer({ ttlSeconds: 60 });
  });
  afterAll(() => server.stop());

  test('obtains a token the server itself recognises (introspection says active)', async () => {
    const source = clientCredentialsTokenSource(settings(server));
    const token = await source.get();
    const answer = await fetch(server.introspectionUrl, {
      method: 'POST',
      body: new URLSearchParams({ token: token.value, client_id: server.clientId, client_secret: server.clientSecret }),
    });
    const body = (await answer.json()) as { active: boolean; scope?: string; client_id?: string };
    expect(body).toMatchObject({ active: true, scope: 'mail', client_id: server.clientId });
    expect(token.expiresAt - token.refreshAt).toBeCloseTo(12_000, -3);
  });

  test('keeps the token: twenty logins at once and twenty later make one request to the server', async () => {
    const counter = countingFetch();
    const source = clientCredentialsTokenSource(settings(server), { fetch: counter.fetch });
    const first = await Promise.all(Array.from({ length: 20 }, () => source.get()));
    const later = await Promise.all(Array.from({ length: 20 }, () => source.get()));
    expect(new Set([...first, ...later].map((t) => t.value)).size).toBe(1);
    expect(counter.count()).toBe(1);
  });

  test('fetches a new token once 80% of its lifetime has passed, and when a server refused it', async () => {
    const counter = countingFetch();
    let clock = Date.now();
    const source = clientCredentialsTokenSource(settings(server), { fetch: counter.fetch, now: () => clock });
    const first = await source.get();
    clock += 47_000; // 78% of 60 s: still the same token
    expect((await source.get()).value).toBe(first.value);
    clock += 2_000; // 82%
    const second = await source.get();
    expect(second.value).not.toBe(first.value);
    expect((await source.get({ renew: true })).value).not.toBe(second.value);
    expect(counter.count()).toBe(3);
  });

  test('a wrong secret fails in Spanish naming the settings, with no secret in the message nor the log', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'trace' }, new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) }));
    const wrong = 'secreto-equivocado-77d2';
    const source = clientCredentialsTokenSource(settings(server, wrong), { logger });
    const err = (await source.get().catch((e: unknown) => e)) as OAuthTokenError;
    expect(err).toBeInstanceOf(OAuthTokenError);
    expect(err.code).toBe('invalid_client');
    expect(err.message).toMatch(/rechazó la aplicación/);
    expect(err.message).toContain('PLAZOS_MAIL_OAUTH_CLIENT_SECRET_FILE');
    expect(err.message).not.toContain(wrong);
    expect(JSON.stringify(err)).not.toContain(wrong);
    const good = clientCredentialsTokenSource(settings(server), { logger });
    await good.get();
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('')).not.toContain(server.clientSecret);
    expect(lines.join('')).not.toContain(wrong);
  });

  test('an unreachable token endpoint names PLAZOS_MAIL_OAUTH_TOKEN_URL', async () => {
    const port = await closedPort();
    const source = clientCredentialsTokenSource({ ...settings(server), tokenUrl: `http://127.0.0.1:${port}/token` }, { timeoutMs: 3000 });
    await expect(source.get()).rejects.toThrow(/PLAZOS_MAIL_OAUTH_TOKEN_URL .*ECONNREFUSED/);
  });

  test('refuses plain http to anything but loopback, before sending the secret', async () => {
    const counter = countingFetch();
    const source = clientCredentialsTokenSource({ ...settings(server), tokenUrl: 'http://login.example.org/token' }, { fetch: counter.fetch });
    await expect(source.get()).rejects.toThrow(OAuthTokenError);
    expect(counter.count()).toBe(0);
  });
});

describe('a token that expires on the server', () => {
  let server: TestOAuthServer;
  beforeAll(async () => {
    server = await startOAuthServer({ ttlSeconds: 3 });
  });
  afterAll(() => server.stop());

  test('is replaced after its lifetime on the real clock, and a revoked app gets no new one', async () => {
    const source = clientCredentialsTokenSource(settings(server));
    const first = await source.get();
    await new Promise((r) => setTimeout(r, 2600));
    const second = await source.get();
    expect(second.value).not.toBe(first.value);
    await server.revoke();
    await expect(source.get({ renew: true })).rejects.toMatchObject({ code: 'invalid_client' });
  });
});

describe("Entra ID's own refusals", () => {
  /** The body Entra ID sends with a 401 (error_codes and the AADSTS code first in error_description). */
  const entraAnswer = (code: number, text: string) => () =>
    Promise.resolve(
      new Response(
        JSON.stringify({
          error: 'invalid_client',
          error_description: `AADSTS${code}: ${text} Trace ID: 0000aaaa-11bb Correlation ID: aaaa0000-bb11 Timestamp: 2026-12-07 14:00:00Z`,
          error_codes: [code],
        }),
        { status: 401, headers: { 'content-type': 'application/json' } },
      ),
    );
  const settings = { tokenUrl: 'https://login.microsoftonline.com/inquilino/oauth2/v2.0/token', clientId: 'app', clientSecret: 'secreto-1234', scope: 'x' };

  test.each([
    [7000215, 'Invalid client secret provided.', /AADSTS7000215, secreto no válido\): PLAZOS_MAIL_OAUTH_CLIENT_SECRET_FILE debe tener el valor del secreto/],
    [7000222, 'The provided client secret keys for app are expired.', /El secreto de la aplicación venció \(AADSTS7000222\)/],
    [
      700016,
      "Application with identifier 'app' was not found in the directory.",
      /AADSTS700016.*PLAZOS_MAIL_OAUTH_CLIENT_ID y el inquilino en PLAZOS_MAIL_OAUTH_TOKEN_URL/,
    ],
  ])('AADSTS%s is explained in Spanish, naming what to change', async (code, text, message) => {
    const source = clientCredentialsTokenSource(settings, { fetch: entraAnswer(code, text) });
    const err = (await source.get().catch((e: unknown) => e)) as OAuthTokenError;
    expect(err.vendorCode).toBe(`AADSTS${code}`);
    expect(err.message).toMatch(message);
    expect(err.message).not.toContain('secreto-1234');
  });
});
