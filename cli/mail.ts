/**
 * `plazos mail check [--to ADDRESS] [--json]`: logs into the SMTP server with the transport the
 * worker builds, sends a test message when asked, and logs into the reply mailbox with the options
 * the mailbox reader uses; each step says what the server refused and what to change
 * (activities/email/mail-failures.ts). The URLs carry the password, so only host and port are ever
 * printed, and no error message is echoed: the description is built from codes.
 */
import { ImapFlow } from 'imapflow';
import { describeMailFailure, type MailFailure } from '../activities/email/mail-failures';
import { mailTokens, smtpOAuthLogin, type MailTokens } from '../activities/email/mail-login';
import { createSmtpTransport, DEFAULT_SMTP_URL } from '../activities/email/transport';
import { ConfigError, parseEnv, type Env } from '../config/schema';
import { imapOptions, type ImapSettings } from '../mailbox/reader';
import { imapSettings } from '../workers/mailbox';
import { CliError, EXIT } from '../domain/errors';
import { cliLocale, t } from './i18n';

export type MailStep = 'smtp-login' | 'smtp-send' | 'imap-login';

export interface MailStepResult {
  step: MailStep;
  /** host:port, never the credentials. */
  server: string;
  to?: string;
  ok: boolean;
  failure?: MailFailure;
}

/** A loose check: the server is the judge of an address; this only catches a mistyped option. */
const ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

function serverOf(url: string, defaultPort: number): string {
  const u = new URL(url);
  return `${u.protocol}//${u.hostname}:${u.port || defaultPort}`;
}

async function attempt(step: MailStep, server: string, work: () => Promise<unknown>, opts: { to?: string; oauth?: boolean } = {}): Promise<MailStepResult> {
  const { to, oauth } = opts;
  try {
    await work();
    return { step, server, ...(to ? { to } : {}), ok: true };
  } catch (err) {
    return { step, server, ...(to ? { to } : {}), ok: false, failure: describeMailFailure(err, { oauth }) };
  }
}

async function checkSmtp(env: Env, to: string | undefined, tokens: MailTokens | undefined): Promise<MailStepResult[]> {
  const url = env.PLAZOS_SMTP_URL ?? DEFAULT_SMTP_URL;
  const server = serverOf(url, url.startsWith('smtps:') ? 465 : 587);
  // As the worker logs in: by XOAUTH2 when the OAuth settings are there, else with the URL's password.
  const oauth = smtpOAuthLogin(env, tokens);
  const transport = createSmtpTransport(url, { oauth });
  try {
    const login = await attempt('smtp-login', server, () => transport.verify(), { oauth: oauth !== undefined });
    if (!login.ok || !to) return [login];
    const m = t('es');
    const sent = await attempt(
      'smtp-send',
      server,
      () => transport.sendMail({ from: env.PLAZOS_MAIL_FROM, to, subject: m.mailTestSubject, text: m.mailTestText(server) }),
      { to, oauth: oauth !== undefined },
    );
    return [login, sent];
  } finally {
    transport.close();
  }
}

async function checkImap(imap: ImapSettings): Promise<MailStepResult> {
  const server = `${imap.secure ? 'imaps' : 'imap'}://${imap.host}:${imap.port}`;
  const byToken = 'accessToken' in imap.login;
  let client: ImapFlow | undefined;
  const result = await attempt(
    'imap-login',
    server,
    async () => {
      // As the reader logs in (mailbox/reader.ts): the token first, which may itself be refused.
      const token = 'accessToken' in imap.login ? await imap.login.accessToken(false) : undefined;
      client = new ImapFlow(imapOptions(imap, token));
      // A dropped connection is also reported as an 'error' event; the step already reports it.
      client.on('error', () => undefined);
      await client.connect();
      await client.mailboxOpen('INBOX', { readOnly: true });
    },
    { oauth: byToken },
  );
  if (client?.usable) await client.logout().catch(() => undefined);
  else client?.close();
  return result;
}

function line(r: MailStepResult): string {
  const m = t();
  const step = r.step === 'smtp-send' ? m.mailSteps['smtp-send'](r.server, r.to ?? '') : m.mailSteps[r.step](r.server);
  if (r.ok || !r.failure) return `✔ ${step}`;
  return m.mailStepFailed(step, cliLocale() === 'en' ? r.failure.en : r.failure.es, r.failure.fix);
}

export async function checkCommand(opts: { to?: string; json?: boolean }): Promise<number> {
  const m = t();
  if (opts.to !== undefined && !ADDRESS.test(opts.to)) throw new CliError(m.usage(m.mailBadTo(opts.to)), EXIT.usage);
  let env: Env;
  let imap: ImapSettings | undefined;
  let tokens: MailTokens | undefined;
  try {
    env = parseEnv();
    // The token sources of both logins, as the mailbox process has them (workers/mailbox.ts).
    tokens = mailTokens(env);
    // Read before any connection: a mailbox setting missing is the user's to fix, all named at once.
    if (env.PLAZOS_IMAP_URL) imap = imapSettings(env, tokens).imap;
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message, EXIT.usage);
    throw err;
  }
  const steps = await checkSmtp(env, opts.to, tokens);
  if (imap) steps.push(await checkImap(imap));
  const ok = steps.every((s) => s.ok);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ ok, imapChecked: imap !== undefined, steps }, null, 2)}\n`);
  } else {
    const lines = steps.map(line);
    if (!imap) lines.push(m.mailNoImap);
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return ok ? EXIT.ok : EXIT.refused;
}
