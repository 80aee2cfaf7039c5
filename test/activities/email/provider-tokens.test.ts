/**
 * The two other ways to a mail token, against a real authorization server (oidc-provider on
 * loopback) that answers as each vendor does: an Entra ID app that signs in with a certificate
 * instead of a secret, and a Google Workspace service account that acts as one mailbox at a time.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadClientCertificate } from '../../../activities/email/client-certificate';
import { loadServiceAccount, serviceAccountTokenSource } from '../../../activities/email/google-service-account';
import { mailOAuthSettings, mailTokens, smtpOAuthLogin } from '../../../activities/email/mail-login';
import { clientCredentialsTokenSource, OAuthTokenError } from '../../../activities/email/oauth-token';
import { ConfigError, parseEnv } from '../../../config/schema';
import { imapSettings } from '../../../workers/mailbox';
import { makeClientCertificate, makeServiceAccount, type TestCertificate, type TestServiceAccount } from '../../helpers/oauth-credentials';
import { startOAuthServer, type TestOAuthServer } from '../../helpers/oauth-server';

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

/** What the authorization server says about a token it issued (RFC 7662), as a mail server asks. */
async function introspect(server: TestOAuthServer, token: string): Promise<Record<string, unknown>> {
  const answer = await fetch(server.introspectionUrl, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${server.introspectionClient.id}:${server.introspectionClient.secret}`).toString('base64')}` },
    body: new URLSearchParams({ token }),
  });
  return (await answer.json()) as Record<string, unknown>;
}

const dir = mkdtempSync(join(tmpdir(), 'plazos-provider-tokens-'));

describe('Microsoft 365 with a certificate instead of a secret (private_key_jwt)', () => {
  let server: TestOAuthServer;
  let uploaded: TestCertificate;
  let expired: TestCertificate;
  let notUploaded: TestCertificate;
  const clientId = '11111111-2222-3333-4444-555555555555';

  beforeAll(async () => {
    uploaded = makeClientCertificate(dir, 'plazos-app');
    expired = makeClientCertificate(dir, 'plazos-app-2025', { expiredOn: '2025-03-01' });
    notUploaded = makeClientCertificate(dir, 'otro-certificado');
    server = await startOAuthServer({ ttlSeconds: 60, certificateClient: { clientId, certFiles: [uploaded.certFile, expired.certFile] } });
  });
  afterAll(() => server?.stop());

  const env = (cert: TestCertificate, extra: Record<string, string> = {}) =>
    parseEnv({
      PLAZOS_MAIL_OAUTH_TOKEN_URL: server.tokenUrl,
      PLAZOS_MAIL_OAUTH_CLIENT_ID: clientId,
      PLAZOS_MAIL_OAUTH_SCOPE: server.scope,
      PLAZOS_MAIL_OAUTH_CLIENT_CERT_FILE: cert.certFile,
      PLAZOS_MAIL_OAUTH_CLIENT_KEY_FILE: cert.keyFile,
      ...extra,
    });

  test('gets a token the server vouches for, kept for later logins, from the settings alone', async () => {
    const settings = mailOAuthSettings(env(uploaded));
    expect(settings?.kind).toBe('client-credentials');
    const counter = countingFetch();
    const client = settings!.kind === 'client-credentials' ? settings!.client : null;
    const source = clientCredentialsTokenSource(client!, { fetch: counter.fetch });
    const [first, second] = await Promise.all([source.get(), source.get()]);
    expect(second.value).toBe(first.value);
    expect(counter.count()).toBe(1);
    expect(await introspect(server, first.value)).toMatchObject({ active: true, client_id: clientId, scope: server.scope });
  });

  test('the assertion is signed PS256 and names the certificate by its SHA-256 and SHA-1 thumbprints, for the token endpoint', async () => {
    const der = Buffer.from(
      readFileSync(uploaded.certFile, 'utf8')
        .replace(/-----[^-]+-----/g, '')
        .replace(/\s/g, ''),
      'base64',
    );
    const sent: URLSearchParams[] = [];
    const capture: typeof fetch = (input, init) => (sent.push(new URLSearchParams(init?.body as URLSearchParams)), fetch(input, init));
    const certificate = loadClientCertificate(uploaded.certFile, uploaded.keyFile);
    await clientCredentialsTokenSource({ tokenUrl: server.tokenUrl, clientId, scope: server.scope, certificate }, { fetch: capture }).get();
    const [header, payload] = (sent[0]?.get('client_assertion') ?? '')
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()) as Record<string, unknown>);
    expect(header).toMatchObject({
      alg: 'PS256',
      'x5t#S256': createHash('sha256').update(der).digest('base64url'),
      x5t: createHash('sha1').update(der).digest('base64url'),
    });
    expect(payload).toMatchObject({ iss: clientId, sub: clientId, aud: server.tokenUrl });
    expect(sent[0]?.has('client_secret')).toBe(false);
  });

  test('a certificate that was never uploaded to the app is refused with AADSTS700027, naming the file', async () => {
    const source = clientCredentialsTokenSource({
      tokenUrl: server.tokenUrl,
      clientId,
      scope: server.scope,
      certificate: loadClientCertificate(notUploaded.certFile, notUploaded.keyFile),
    });
    const err = (await source.get().catch((e: unknown) => e)) as OAuthTokenError;
    expect(err).toBeInstanceOf(OAuthTokenError);
    expect(err).toMatchObject({ code: 'invalid_client', vendorCode: 'AADSTS700027' });
    expect(err.message).toContain('rechazó la aplicación (AADSTS700027)');
    expect(err.message).toContain(notUploaded.certFile);
  });

  test('an expired certificate is refused at start, naming the file and the day it expired', () => {
    expect(() => mailOAuthSettings(env(expired))).toThrow(ConfigError);
    expect(() => mailOAuthSettings(env(expired))).toThrow(`el certificado ${expired.certFile} venció el 2025-03-01 00:00 UTC`);
  });

  test('a certificate that expires while plazos runs: the server refuses it and the message gives the date', async () => {
    // Loaded as it was on a day it was still valid.
    const certificate = loadClientCertificate(expired.certFile, expired.keyFile, new Date('2025-02-01T00:00:00Z'));
    const source = clientCredentialsTokenSource({ tokenUrl: server.tokenUrl, clientId, scope: server.scope, certificate });
    const err = (await source.get().catch((e: unknown) => e)) as OAuthTokenError;
    expect(err).toMatchObject({ code: 'invalid_client', vendorCode: 'AADSTS700027' });
    expect(err.message).toBe(
      `El certificado de PLAZOS_MAIL_OAUTH_CLIENT_CERT_FILE (${expired.certFile}) venció el 2025-03-01 00:00 UTC: genere uno nuevo, cárguelo en la aplicación en Entra ID y cambie los archivos del certificado y la clave.`,
    );
  });

  test('the secret and the certificate are one or the other, the key must be the certificate’s, and no message quotes the key', () => {
    const secretFile = join(dir, 'secreto');
    writeFileSync(secretFile, 'secreto-5521\n');
    expect(() => mailOAuthSettings(env(uploaded, { PLAZOS_MAIL_OAUTH_CLIENT_SECRET_FILE: secretFile }))).toThrow(/use el secreto o el certificado, no los dos/);
    const mismatched = { certFile: uploaded.certFile, keyFile: notUploaded.keyFile };
    expect(() => mailOAuthSettings(env(mismatched))).toThrow(`la clave de ${notUploaded.keyFile} no corresponde al certificado ${uploaded.certFile}`);
    const keyOnly = parseEnv({
      PLAZOS_MAIL_OAUTH_TOKEN_URL: server.tokenUrl,
      PLAZOS_MAIL_OAUTH_CLIENT_ID: clientId,
      PLAZOS_MAIL_OAUTH_SCOPE: server.scope,
      PLAZOS_MAIL_OAUTH_CLIENT_KEY_FILE: uploaded.keyFile,
    });
    expect(() => mailOAuthSettings(keyOnly)).toThrow(/PLAZOS_MAIL_OAUTH_CLIENT_CERT_FILE: falta \(el certificado y su clave van juntos\)/);
    const notAKey = { certFile: uploaded.certFile, keyFile: uploaded.certFile };
    const err = (() => {
      try {
        mailOAuthSettings(env(notAKey));
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err?.message).toContain('no es una clave privada PEM sin cifrar');
    const keyBody = readFileSync(uploaded.keyFile, 'utf8').split('\n')[1]!;
    expect(err?.message).not.toContain(keyBody);
  });
});

describe('Google Workspace: a service account with domain-wide delegation (JWT bearer)', () => {
  let server: TestOAuthServer;
  let account: TestServiceAccount;
  let keyFile: string;
  const googleEnv = (extra: Record<string, string> = {}) =>
    parseEnv({
      PLAZOS_MAIL_OAUTH_GOOGLE_KEY_FILE: keyFile,
      PLAZOS_SMTP_USER: 'plazos@entidad.gov.co',
      PLAZOS_REPLY_MAILBOX: 'respuestas@entidad.gov.co',
      PLAZOS_IMAP_URL: 'imaps://imap.gmail.com:993',
      PLAZOS_IMAP_USER: 'respuestas@entidad.gov.co',
      ...extra,
    });

  beforeAll(async () => {
    account = makeServiceAccount();
    server = await startOAuthServer({ ttlSeconds: 60, serviceAccount: { clientEmail: account.clientEmail, publicJwk: account.publicJwk } });
    keyFile = account.writeKeyFile(dir, server.tokenUrl);
  });
  afterAll(() => server?.stop());

  test('the sender and the reply mailbox each get a token that acts as that mailbox', async () => {
    const env = googleEnv();
    const tokens = mailTokens(env)!;
    const smtp = smtpOAuthLogin(env, tokens)!;
    const imap = imapSettings(env, tokens).imap;
    expect(smtp.user).toBe('plazos@entidad.gov.co');
    expect(smtp.tokens).toBe(tokens.forMailbox('plazos@entidad.gov.co'));
    const sent = await smtp.tokens.get();
    const read = await (imap.login as { accessToken(renew: boolean): Promise<string> }).accessToken(false);
    expect(sent.value).not.toBe(read);
    expect(await introspect(server, sent.value)).toMatchObject({ active: true, client_id: account.clientEmail, mailbox: 'plazos@entidad.gov.co' });
    expect(await introspect(server, read)).toMatchObject({ active: true, mailbox: 'respuestas@entidad.gov.co', scope: 'https://mail.google.com/' });
  });

  test('keeps each token, and asks again at 80% of its lifetime or when a server refused it', async () => {
    const counter = countingFetch();
    let clock = Date.now();
    const source = serviceAccountTokenSource(loadServiceAccount(keyFile), 'plazos@entidad.gov.co', { fetch: counter.fetch, now: () => clock });
    const first = await Promise.all(Array.from({ length: 10 }, () => source.get()));
    expect(new Set(first.map((t) => t.value)).size).toBe(1);
    clock += 47_000;
    expect((await source.get()).value).toBe(first[0]!.value);
    clock += 2_000;
    const second = await source.get();
    expect(second.value).not.toBe(first[0]!.value);
    expect((await source.get({ renew: true })).value).not.toBe(second.value);
    expect(counter.count()).toBe(3);
  });

  test('a key Google does not hold (deleted or from another account) fails in Spanish, naming the file, never the key', async () => {
    const impostor = makeServiceAccount('plazos-correo');
    const wrongFile = impostor.writeKeyFile(mkdtempSync(join(dir, 'otra-')), server.tokenUrl);
    const source = serviceAccountTokenSource(loadServiceAccount(wrongFile), 'plazos@entidad.gov.co');
    const err = (await source.get().catch((e: unknown) => e)) as OAuthTokenError;
    expect(err).toBeInstanceOf(OAuthTokenError);
    expect(err.code).toBe('invalid_grant');
    expect(err.message).toBe(
      `Google rechazó la firma de la cuenta de servicio (invalid_grant): revise la clave de la cuenta de servicio en PLAZOS_MAIL_OAUTH_GOOGLE_KEY_FILE (${wrongFile}): puede haber sido borrada o rotada.`,
    );
    const key = (JSON.parse(readFileSync(wrongFile, 'utf8')) as { private_key: string }).private_key.split('\n')[1]!;
    expect(JSON.stringify(err) + err.message).not.toContain(key);
  });

  test('the key file is checked at start: JSON, a service account, a token_uri over https', () => {
    const notJson = join(dir, 'clave.p12');
    writeFileSync(notJson, 'MIIJ…binario');
    expect(() => mailOAuthSettings(googleEnv({ PLAZOS_MAIL_OAUTH_GOOGLE_KEY_FILE: notJson }))).toThrow(/no es JSON \(descargue la clave en formato JSON\)/);
    const userCredentials = join(dir, 'usuario.json');
    writeFileSync(userCredentials, JSON.stringify({ type: 'authorized_user', client_id: 'x', client_secret: 'y', refresh_token: 'z' }));
    expect(() => mailOAuthSettings(googleEnv({ PLAZOS_MAIL_OAUTH_GOOGLE_KEY_FILE: userCredentials }))).toThrow(/type debe ser "service_account"/);
    const plainHttp = account.writeKeyFile(mkdtempSync(join(dir, 'http-')), 'http://oauth2.example.org/token');
    expect(() => mailOAuthSettings(googleEnv({ PLAZOS_MAIL_OAUTH_GOOGLE_KEY_FILE: plainHttp }))).toThrow(/token_uri debe ser https/);
    expect(() => mailOAuthSettings(googleEnv({ PLAZOS_MAIL_OAUTH_CLIENT_ID: 'x' }))).toThrow(
      /PLAZOS_MAIL_OAUTH_GOOGLE_KEY_FILE: va sola .*PLAZOS_MAIL_OAUTH_CLIENT_ID/,
    );
  });

  // Last: it withdraws the delegation for the rest of this server's life.
  test('without domain-wide delegation Google answers unauthorized_client, and the message says where to grant it', async () => {
    await server.undelegate();
    const source = serviceAccountTokenSource(loadServiceAccount(keyFile), 'plazos@entidad.gov.co');
    const err = (await source.get().catch((e: unknown) => e)) as OAuthTokenError;
    expect(err.code).toBe('unauthorized_client');
    expect(err.message).toContain(`ID de cliente ${account.clientId}`);
    expect(err.message).toContain('https://mail.google.com/');
  });
});
