/**
 * `plazos mail check` logging in by token, as an operator runs it: a Google service account and an
 * Entra ID app with a certificate, against oidc-provider, an SMTP server that takes only XOAUTH2
 * and checks each token by introspection, and Dovecot with its oauth2 passdb. What it prints here
 * is what the README quotes for each step an administrator may have missed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { dovecotInstalled, startImapServer, type TestImapServer } from '../helpers/imap';
import { makeClientCertificate, makeServiceAccount, type TestCertificate, type TestServiceAccount } from '../helpers/oauth-credentials';
import { startOAuthServer, type TestOAuthServer } from '../helpers/oauth-server';
import { buildCli, makeTempFolder, plazosAsync, removeFolder, STACK_LINE, type Run } from './helpers';

const SENDER = 'plazos@entidad.gov.co';
const CERT_APP = '11111111-2222-3333-4444-555555555555';

let oauth: TestOAuthServer;
let imap: TestImapServer;
let relay: SMTPServer;
let relayPort: number;
let dir: string;
let account: TestServiceAccount;
let keyFile: string;
let caFile: string;
let uploaded: TestCertificate;
let expired: TestCertificate;

/** Lets in only a token the authorization server calls active and that acts for the sender. */
function xoauth2Relay(): SMTPServer {
  return new SMTPServer({
    authMethods: ['XOAUTH2'],
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      void (async () => {
        const answer = await fetch(oauth.introspectionUrl, {
          method: 'POST',
          headers: { authorization: `Basic ${Buffer.from(`${oauth.introspectionClient.id}:${oauth.introspectionClient.secret}`).toString('base64')}` },
          body: new URLSearchParams({ token: auth.accessToken ?? '' }),
        });
        const claims = (await answer.json()) as { active: boolean; mailbox?: string };
        // Microsoft 365 answers a token it will not take for this mailbox with 535 5.7.3.
        if (claims.active && claims.mailbox === auth.username) callback(null, { user: auth.username });
        else callback(Object.assign(new Error('5.7.3 Authentication unsuccessful'), { responseCode: 535 }));
      })();
    },
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => callback());
    },
  });
}

function googleEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PLAZOS_SMTP_URL: `smtp://127.0.0.1:${relayPort}?ignoreTLS=true`,
    PLAZOS_SMTP_USER: SENDER,
    PLAZOS_MAIL_FROM: `Plazos <${SENDER}>`,
    PLAZOS_MAIL_OAUTH_GOOGLE_KEY_FILE: keyFile,
    PLAZOS_MAIL_OAUTH_TOKEN_URL: '',
    PLAZOS_MAIL_OAUTH_CLIENT_ID: '',
    PLAZOS_MAIL_OAUTH_CLIENT_SECRET_FILE: '',
    PLAZOS_MAIL_OAUTH_CLIENT_CERT_FILE: '',
    PLAZOS_MAIL_OAUTH_CLIENT_KEY_FILE: '',
    PLAZOS_MAIL_OAUTH_SCOPE: '',
    PLAZOS_IMAP_URL: `imaps://${imap.host}:${imap.port}`,
    PLAZOS_IMAP_USER: imap.user,
    PLAZOS_IMAP_PASSWORD: '',
    PLAZOS_IMAP_PASSWORD_FILE: '',
    PLAZOS_IMAP_CA_FILE: caFile,
    PLAZOS_REPLY_MAILBOX: 'respuestas@entidad.gov.co',
    ...extra,
  };
}

function certificateEnv(cert: TestCertificate): Record<string, string> {
  return googleEnv({
    PLAZOS_MAIL_OAUTH_GOOGLE_KEY_FILE: '',
    PLAZOS_MAIL_OAUTH_TOKEN_URL: oauth.tokenUrl,
    PLAZOS_MAIL_OAUTH_CLIENT_ID: CERT_APP,
    PLAZOS_MAIL_OAUTH_SCOPE: oauth.scope,
    PLAZOS_MAIL_OAUTH_CLIENT_CERT_FILE: cert.certFile,
    PLAZOS_MAIL_OAUTH_CLIENT_KEY_FILE: cert.keyFile,
    PLAZOS_IMAP_URL: '',
    PLAZOS_IMAP_USER: '',
    PLAZOS_REPLY_MAILBOX: '',
  });
}

function expectNoKeys(run: Run): void {
  for (const file of [uploaded.keyFile, expired.keyFile]) {
    const body = readFileSync(file, 'utf8').split('\n')[1]!;
    expect(run.stdout + run.stderr).not.toContain(body);
  }
  expect(run.stderr).not.toContain(STACK_LINE);
}

beforeAll(async () => {
  expect(dovecotInstalled()).toBe(true);
  await buildCli();
  dir = makeTempFolder();
  account = makeServiceAccount();
  uploaded = makeClientCertificate(dir, 'plazos-app');
  expired = makeClientCertificate(dir, 'plazos-app-2025', { expiredOn: '2025-03-01' });
  oauth = await startOAuthServer({
    ttlSeconds: 60,
    // The certificate app's token is granted the sender, as Exchange Online's SendAs would.
    mailbox: SENDER,
    serviceAccount: { clientEmail: account.clientEmail, publicJwk: account.publicJwk },
    certificateClient: { clientId: CERT_APP, certFiles: [uploaded.certFile, expired.certFile] },
  });
  keyFile = account.writeKeyFile(dir, oauth.tokenUrl);
  imap = await startImapServer({
    oauth2: {
      introspectionUrl: oauth.introspectionUrl,
      clientId: oauth.introspectionClient.id,
      clientSecret: oauth.introspectionClient.secret,
      usernameAttribute: 'mailbox',
    },
  });
  caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, imap.ca);
  relay = xoauth2Relay();
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  relayPort = (relay.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => (relay ? relay.close(() => resolve()) : resolve()));
  await imap?.stop();
  await oauth?.stop();
  removeFolder(dir);
});

test('a Google service account: SMTP as the sender and IMAP as the reply mailbox, each with its own token', async () => {
  const run = await plazosAsync(['mail', 'check'], googleEnv());
  expect(run.stdout).toContain(`✔ Inicio de sesión SMTP en smtp://127.0.0.1:${relayPort}`);
  expect(run.stdout).toContain(`✔ Inicio de sesión IMAP en imaps://${imap.host}:${imap.port}`);
  expect(run.status).toBe(0);
  expectNoKeys(run);
});

test('a sender the app was not granted: the SMTP server refuses the token (535 5.7.3) and the fix names the Exchange Online steps', async () => {
  const env = { ...certificateEnv(uploaded), PLAZOS_SMTP_USER: 'otro@entidad.gov.co', PLAZOS_MAIL_FROM: 'Plazos <otro@entidad.gov.co>' };
  const json = JSON.parse((await plazosAsync(['mail', 'check', '--json'], env)).stdout) as {
    steps: { step: string; ok: boolean; failure?: { code: string } }[];
  };
  expect(json.steps).toMatchObject([{ step: 'smtp-login', ok: false, failure: { code: 'smtp-oauth-refused' } }]);
  const run = await plazosAsync(['mail', 'check'], env);
  expect(run.stdout).toMatch(/^✘ Inicio de sesión SMTP en .*: El servidor SMTP rechazó el token para el buzón que envía \(PLAZOS_SMTP_USER\)/m);
  expect(run.stdout).toContain('Set-CASMailbox -SmtpClientAuthenticationDisabled $false');
  expect(run.status).toBe(1);
});

test('an Entra ID app with a certificate gets its token and logs in to SMTP', async () => {
  const run = await plazosAsync(['mail', 'check'], certificateEnv(uploaded));
  expect(run.stdout).toContain(`✔ Inicio de sesión SMTP en smtp://127.0.0.1:${relayPort}`);
  expect(run.status).toBe(0);
  expectNoKeys(run);
});

test('an expired certificate stops mail check before any connection, with the file and the day it expired', async () => {
  const run = await plazosAsync(['mail', 'check'], certificateEnv(expired));
  expect(run.stderr).toContain(`PLAZOS_MAIL_OAUTH_CLIENT_CERT_FILE: el certificado ${expired.certFile} venció el 2025-03-01 00:00 UTC`);
  expect(run.status).toBe(2);
  expectNoKeys(run);
});

// Last: it withdraws the service account's delegation for the rest of the file.
test('without domain-wide delegation both steps say so, with where to grant it', async () => {
  await oauth.undelegate();
  const run = await plazosAsync(['mail', 'check'], googleEnv());
  expect(run.stdout).toMatch(/^✘ Inicio de sesión SMTP en .*: Google no deja a la cuenta de servicio actuar por el buzón \(unauthorized_client\)/m);
  expect(run.stdout).toContain('Delegación de todo el dominio');
  expect(run.stdout).toMatch(/^✘ Inicio de sesión IMAP en /m);
  expect(run.status).toBe(1);
  expectNoKeys(run);
});
