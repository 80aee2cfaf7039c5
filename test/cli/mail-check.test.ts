/**
 * `plazos mail check` against real servers: the simulation's SMTP capture (no AUTH), an
 * smtp-server that requires AUTH, and Dovecot (test/helpers/imap.ts), with right and wrong
 * passwords. The command runs as a child process, so it logs in exactly as an operator's would.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { closedPort, startSmtpServer, type TestSmtpServer } from '../helpers/smtp';
import { dovecotInstalled, startImapServer, type TestImapServer } from '../helpers/imap';
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
