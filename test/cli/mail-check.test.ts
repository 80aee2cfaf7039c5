/**
 * `plazos mail check` against real servers: the simulation's SMTP capture (no AUTH), an
 * smtp-server that requires AUTH, and Dovecot (test/helpers/imap.ts), with right and wrong
 * passwords, and Postfix with Dovecot and an OAuth authorization server (XOAUTH2) with a right and a
 * wrong client secret. The command runs as a child process, so it logs in exactly as an operator's would.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { closedPort, startSmtpServer, type TestSmtpServer } from '../helpers/smtp';
import { dovecotInstalled, startImapServer, type TestImapServer } from '../helpers/imap';
import { startOAuthServer, type TestOAuthServer } from '../helpers/oauth-server';
import { postfixTestsRun, startPostfix, type TestPostfix } from '../helpers/postfix';
import { eventually } from '../helpers/processes';
import { itWhen } from '../helpers/skip';
import { buildCli, makeTempFolder, plazosAsync, removeFolder, STACK_LINE, type Run } from './helpers';

const SMTP_USER = 'plazos@entidad.gov.co';
const SMTP_PASSWORD = 'clave-smtp-secreta-7f3a';
const WRONG_PASSWORD = 'clave-equivocada-91c2';

let capture: TestSmtpServer;
let authServer: SMTPServer;
let authPort: number;
let imap: TestImapServer;
let dir: string;
let caFile: string;

/** Whatever the command printed must not hold a password it was given. */
function expectNoSecrets(run: Run, ...secrets: string[]): void {
  for (const secret of secrets) {
    expect(run.stdout).not.toContain(secret);
    expect(run.stderr).not.toContain(secret);
  }
  expect(run.stderr).not.toContain(STACK_LINE);
}

/** Only the variables the command reads for mail; an empty one is unset (config/schema.ts). */
function mailEnv(smtpUrl: string, imapVars: Record<string, string> = {}): Record<string, string> {
  return {
    PLAZOS_SMTP_URL: smtpUrl,
    PLAZOS_MAIL_FROM: 'Plazos <plazos@entidad.gov.co>',
    PLAZOS_IMAP_URL: '',
    PLAZOS_IMAP_USER: '',
    PLAZOS_IMAP_PASSWORD: '',
    PLAZOS_IMAP_PASSWORD_FILE: '',
    PLAZOS_IMAP_CA_FILE: '',
    PLAZOS_REPLY_MAILBOX: '',
    ...imapVars,
  };
}

function imapVars(password: string): Record<string, string> {
  return {
    PLAZOS_IMAP_URL: `imaps://${imap.host}:${imap.port}`,
    PLAZOS_IMAP_USER: imap.user,
    PLAZOS_IMAP_PASSWORD: password,
    PLAZOS_IMAP_CA_FILE: caFile,
    PLAZOS_REPLY_MAILBOX: 'respuestas@entidad.gov.co',
  };
}

interface CheckJson {
  ok: boolean;
  imapChecked: boolean;
  steps: { step: string; server: string; to?: string; ok: boolean; failure?: { code: string; es: string; en: string; fix: string } }[];
}

function parsed(run: Run): CheckJson {
  return JSON.parse(run.stdout) as CheckJson;
}

beforeAll(async () => {
  expect(dovecotInstalled()).toBe(true);
  await buildCli();
  capture = await startSmtpServer();
  authServer = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    // Loopback only, and no TLS in the test server: the point is the credentials check.
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) callback(null, { user: auth.username });
      else callback(Object.assign(new Error('5.7.3 Authentication unsuccessful'), { responseCode: 535 }));
    },
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => callback());
    },
  });
  await new Promise<void>((resolve) => authServer.listen(0, '127.0.0.1', resolve));
  authPort = (authServer.server.address() as AddressInfo).port;
  imap = await startImapServer();
  dir = makeTempFolder();
  caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, imap.ca);
});

afterAll(async () => {
  await capture?.stop();
  await new Promise<void>((resolve) => (authServer ? authServer.close(() => resolve()) : resolve()));
  await imap?.stop();
  removeFolder(dir);
});

beforeEach(() => capture.reset());

test('with a working SMTP server and no IMAP, it says the login worked, that the mailbox was not checked, and exits 0', async () => {
  const run = await plazosAsync(['mail', 'check'], mailEnv(`smtp://127.0.0.1:${capture.port}`));
  expect(run.stdout).toContain(`✔ Inicio de sesión SMTP en smtp://127.0.0.1:${capture.port}`);
  expect(run.stdout).toContain('PLAZOS_IMAP_URL no está definida');
  expect(run.status).toBe(0);
});

test('--to sends a Spanish test message that the SMTP server receives', async () => {
  const run = await plazosAsync(['mail', 'check', '--to', 'oapla@entidad.gov.co'], mailEnv(`smtp://127.0.0.1:${capture.port}`));
  expect(run.stdout).toContain('✔ Mensaje de prueba a oapla@entidad.gov.co');
  expect(run.status).toBe(0);
  expect(capture.messages).toHaveLength(1);
  expect(capture.messages[0]!.envelope.to).toEqual(['oapla@entidad.gov.co']);
  expect(capture.messages[0]!.parsed.subject).toBe('Prueba de correo de plazos');
  expect(capture.messages[0]!.parsed.text).toContain('plazos mail check');
});

test('a recipient the server refuses is a failed step with what to check, and exit 1', async () => {
  capture.replyToRecipient('nadie@entidad.gov.co', 550, '5.1.1 No such user');
  const run = await plazosAsync(['mail', 'check', '--to', 'nadie@entidad.gov.co', '--json'], mailEnv(`smtp://127.0.0.1:${capture.port}`));
  expect(run.status).toBe(1);
  const json = parsed(run);
  expect(json.steps.map((s) => [s.step, s.ok])).toEqual([
    ['smtp-login', true],
    ['smtp-send', false],
  ]);
  expect(json.steps[1]!.failure!.code).toBe('recipient-refused');
});

test('an SMTP server that requires AUTH accepts the right password, and the password is never printed', async () => {
  const url = `smtp://${encodeURIComponent(SMTP_USER)}:${SMTP_PASSWORD}@127.0.0.1:${authPort}`;
  const run = await plazosAsync(['mail', 'check', '--to', 'oapla@entidad.gov.co'], mailEnv(url));
  expect(run.stdout).toContain('✔ Inicio de sesión SMTP');
  expect(run.stdout).toContain('✔ Mensaje de prueba');
  expect(run.status).toBe(0);
  expectNoSecrets(run, SMTP_PASSWORD);
});

test('a wrong SMTP password reads "usuario o clave rechazados", exits 1 and prints neither password', async () => {
  const url = `smtp://${encodeURIComponent(SMTP_USER)}:${WRONG_PASSWORD}@127.0.0.1:${authPort}`;
  const run = await plazosAsync(['mail', 'check', '--to', 'oapla@entidad.gov.co'], mailEnv(url));
  expect(run.stdout).toMatch(/^✘ Inicio de sesión SMTP en smtp:\/\/127\.0\.0\.1:\d+: .*Usuario o clave rechazados/m);
  // No test message is tried after a failed login.
  expect(run.stdout).not.toContain('Mensaje de prueba');
  expect(run.status).toBe(1);
  expectNoSecrets(run, WRONG_PASSWORD, SMTP_PASSWORD);
  const json = parsed(await plazosAsync(['mail', 'check', '--json'], mailEnv(url)));
  expect(json).toMatchObject({ ok: false, steps: [{ step: 'smtp-login', ok: false, failure: { code: 'auth-rejected' } }] });
});

test('an SMTP server that is not there says the connection was refused', async () => {
  const run = await plazosAsync(['mail', 'check'], mailEnv(`smtp://127.0.0.1:${await closedPort()}`));
  expect(run.stdout).toContain('El servidor rechazó la conexión');
  expect(run.status).toBe(1);
});

test('with IMAP set, it logs into Dovecot with the right password and opens INBOX', async () => {
  const run = await plazosAsync(['mail', 'check', '--json'], mailEnv(`smtp://127.0.0.1:${capture.port}`, imapVars(imap.password)));
  expect(parsed(run)).toMatchObject({
    ok: true,
    imapChecked: true,
    steps: [
      { step: 'smtp-login', ok: true },
      { step: 'imap-login', ok: true, server: `imaps://${imap.host}:${imap.port}` },
    ],
  });
  expect(run.status).toBe(0);
  expectNoSecrets(run, imap.password);
});

test('a wrong IMAP password names the mailbox user and password to fix, exits 1 and prints no password', async () => {
  const run = await plazosAsync(['mail', 'check'], mailEnv(`smtp://127.0.0.1:${capture.port}`, imapVars(WRONG_PASSWORD)));
  expect(run.stdout).toContain('✔ Inicio de sesión SMTP');
  expect(run.stdout).toMatch(/^✘ Inicio de sesión IMAP en imaps:\/\/127\.0\.0\.1:\d+ y apertura de INBOX: .*PLAZOS_IMAP_USER/m);
  expect(run.status).toBe(1);
  expectNoSecrets(run, WRONG_PASSWORD, imap.password);
});

test('an IMAP server whose certificate is not trusted is a TLS problem', async () => {
  const vars = { ...imapVars(imap.password), PLAZOS_IMAP_CA_FILE: '' };
  const json = parsed(await plazosAsync(['mail', 'check', '--json'], mailEnv(`smtp://127.0.0.1:${capture.port}`, vars)));
  expect(json.steps[1]).toMatchObject({ step: 'imap-login', ok: false, failure: { code: 'tls' } });
});

test('an incomplete IMAP setting is a usage error naming the variable, before any connection', async () => {
  const vars = { ...imapVars(imap.password), PLAZOS_IMAP_USER: '' };
  const run = await plazosAsync(['mail', 'check'], mailEnv(`smtp://127.0.0.1:${capture.port}`, vars));
  expect(run.stderr).toContain('PLAZOS_IMAP_USER');
  expect(run.status).toBe(2);
  expectNoSecrets(run, imap.password);
});

test('--to that is not an address is a usage error', async () => {
  const run = await plazosAsync(['mail', 'check', '--to', 'oapla'], mailEnv(`smtp://127.0.0.1:${capture.port}`));
  expect(run.stderr).toContain('no es una dirección de correo');
  expect(run.status).toBe(2);
});

// Postfix submission with XOAUTH2 checked by Dovecot, as test/mailbox/postfix-oauth.test.ts sets it
// up: the check must log in and send as the worker does, and say what to change when it cannot.
describe('with OAuth against Postfix and Dovecot', () => {
  const ready = postfixTestsRun();
  const itWithPostfix = itWhen(
    ready,
    'test/cli/mail-check.test.ts: Postfix se arranca como root, y aquí las pruebas no corren como root o faltan postfix y dovecot-lmtpd sin apt-get para instalarlos (`sudo node scripts/setup.mjs --tests`).',
  );
  let oauth: TestOAuthServer;
  let oauthImap: TestImapServer;
  let postfix: TestPostfix;
  let oauthCa: string;

  beforeAll(async () => {
    if (!ready) return;
    oauth = await startOAuthServer({ ttlSeconds: 60, mailbox: 'respuestas' });
    oauthImap = await startImapServer({
      oauth2: {
        introspectionUrl: oauth.introspectionUrl,
        clientId: oauth.introspectionClient.id,
        clientSecret: oauth.introspectionClient.secret,
        usernameAttribute: 'mailbox',
      },
      mta: { users: ['avisos'] },
    });
    postfix = await startPostfix({
      domain: 'entidad.gov.co',
      dovecot: oauthImap.mta!,
      replyUser: 'respuestas',
      noticesUser: 'avisos',
      senders: { 'respuestas@entidad.gov.co': 'respuestas' },
    });
    oauthCa = join(dir, 'oauth-imap-ca.pem');
    writeFileSync(oauthCa, oauthImap.ca);
  }, 60_000);

  afterAll(async () => {
    await postfix?.stop();
    await Promise.all([oauthImap?.stop(), oauth?.stop()]);
  });

  /** The worker's and the reader's settings with OAuth: no password anywhere, the secret in a file. */
  function oauthEnv(secret: string, from = 'respuestas@entidad.gov.co'): Record<string, string> {
    const secretFile = join(dir, `oauth-secret-${secret.length}-${secret.slice(-4)}`);
    writeFileSync(secretFile, `${secret}\n`);
    return {
      ...mailEnv(`smtp://${postfix.host}:${postfix.submissionPort}?requireTLS=true&tls.rejectUnauthorized=false`),
      PLAZOS_MAIL_FROM: `Plazos <${from}>`,
      PLAZOS_SMTP_USER: 'respuestas',
      PLAZOS_MAIL_OAUTH_TOKEN_URL: oauth.tokenUrl,
      PLAZOS_MAIL_OAUTH_CLIENT_ID: oauth.clientId,
      PLAZOS_MAIL_OAUTH_CLIENT_SECRET_FILE: secretFile,
      PLAZOS_MAIL_OAUTH_SCOPE: oauth.scope,
      PLAZOS_IMAP_URL: `imaps://${oauthImap.host}:${oauthImap.port}`,
      PLAZOS_IMAP_USER: 'respuestas',
      PLAZOS_IMAP_CA_FILE: oauthCa,
      PLAZOS_REPLY_MAILBOX: 'respuestas@entidad.gov.co',
    };
  }

  itWithPostfix('logs in to Postfix and Dovecot by token, and the test message lands in the area mailbox', async () => {
    const run = await plazosAsync(['mail', 'check', '--to', 'comunicaciones@entidad.gov.co'], oauthEnv(oauth.clientSecret));
    const server = `smtp://127.0.0.1:${postfix.submissionPort}`;
    expect(run.stdout.split('\n').filter(Boolean)).toEqual([
      `✔ Inicio de sesión SMTP en ${server}`,
      `✔ Mensaje de prueba a comunicaciones@entidad.gov.co por ${server}`,
      `✔ Inicio de sesión IMAP en imaps://${oauthImap.host}:${oauthImap.port} y apertura de INBOX`,
    ]);
    expect(run.status).toBe(0);
    expectNoSecrets(run, oauth.clientSecret);
    expect(postfix.log()).toMatch(/sasl_method=XOAUTH2, sasl_username=respuestas/);
    expect(oauthImap.loginMethods()).toContain('XOAUTH2');
    const arrived = await eventually(
      () => oauthImap.list('INBOX', 'avisos'),
      (ids) => ids.length > 0,
      'the test message in Dovecot',
    );
    expect(arrived).toHaveLength(1);
  });

  itWithPostfix('a wrong client secret fails both logins naming the OAuth settings, exits 1 and prints no secret', async () => {
    const wrong = 'secreto-equivocado-4411';
    const run = await plazosAsync(['mail', 'check', '--to', 'comunicaciones@entidad.gov.co'], oauthEnv(wrong));
    expect(run.stdout).toMatch(
      /^✘ Inicio de sesión SMTP en smtp:\/\/127\.0\.0\.1:\d+: El servidor de autorización rechazó la aplicación \(invalid_client\): revise PLAZOS_MAIL_OAUTH_CLIENT_ID y el secreto en PLAZOS_MAIL_OAUTH_CLIENT_SECRET_FILE\. Qué hacer: Revise las variables PLAZOS_MAIL_OAUTH_\*/m,
    );
    expect(run.stdout).not.toContain('Mensaje de prueba');
    expect(run.stdout).toMatch(/^✘ Inicio de sesión IMAP en imaps:\/\/127\.0\.0\.1:\d+ y apertura de INBOX: .*PLAZOS_MAIL_OAUTH_CLIENT_SECRET_FILE/m);
    expect(run.status).toBe(1);
    expectNoSecrets(run, wrong, oauth.clientSecret);
  });

  itWithPostfix('a sender the app may not use is refused by Postfix (553 5.7.1) and the check names PLAZOS_MAIL_FROM', async () => {
    const run = await plazosAsync(['mail', 'check', '--to', 'comunicaciones@entidad.gov.co'], oauthEnv(oauth.clientSecret, 'plazos@entidad.gov.co'));
    expect(run.stdout).toContain('✔ Inicio de sesión SMTP');
    expect(run.stdout).toMatch(
      /^✘ Mensaje de prueba a comunicaciones@entidad\.gov\.co por .*enviar como el remitente configurado\. Qué hacer: Use en PLAZOS_MAIL_FROM/m,
    );
    expect(run.status).toBe(1);
  });
});
