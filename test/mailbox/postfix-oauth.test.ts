/**
 * The whole mail path with app-only OAuth tokens, against real servers: oidc-provider issues
 * short-lived tokens (15 s), Postfix takes submission and asks Dovecot to check each XOAUTH2
 * login (Dovecot's oauth2 passdb asks the authorization server), Postfix delivers into Dovecot over
 * LMTP, and the mailbox reader reads the reply with its own token.
 *
 * The burst goes out through the worker's pooled transport as workers/deps.ts builds it from the
 * environment, and is held half-way until the first token is due for renewal and the relay has
 * closed the idle connections (as a relay does), so the rest of the burst logs in with a new token.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { Context } from '@temporalio/activity';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import pino from 'pino';
import { createActivities } from '../../activities';
import { describeMailFailure, type MailFailure } from '../../activities/email/mail-failures';
import { mailTokens, smtpOAuthLogin } from '../../activities/email/mail-login';
import { clientCredentialsTokenSource } from '../../activities/email/oauth-token';
import { noticeIdFromAddress, replyKey } from '../../activities/email/reply-token';
import { createSmtpTransport } from '../../activities/email/transport';
import { startPlan } from '../../client/start-plan';
import { parseEnv, type Env } from '../../config/schema';
import { startMailboxReader } from '../../mailbox/reader';
import { workflowCode } from '../../workers/workflow-code';
import { SEARCH_ATTRIBUTES } from '../../workflows/shared';
import { startImapServer, type TestImapServer } from '../helpers/imap';
import { startOAuthServer, type TestOAuthServer } from '../helpers/oauth-server';
import { postfixTestsRun, startPostfix, type TestPostfix } from '../helpers/postfix';
import { calendar, countBy, eventually, kickoffReceipts, planDueNow, tempDir } from '../helpers/processes';
import { itWhen } from '../helpers/skip';
import { startDevServer } from '../helpers/temporal';
import { testWorkerDeps } from '../helpers/worker-deps';

const DOMAIN = 'entidad.gov.co';
const REPLY_USER = 'respuestas';
const REPLY_MAILBOX = `${REPLY_USER}@${DOMAIN}`;
/** The Dovecot mailbox every area's address is delivered to (test/helpers/postfix.ts). */
const NOTICES_USER = 'avisos';
const TOKEN_TTL_S = 15;
const ACTIVITIES = 50;
/** Sends let through before the burst is held. */
const BEFORE_HOLD = 20;
const TASK_QUEUE = 'postfix-oauth';

const ready = postfixTestsRun();
const itWithPostfix = itWhen(
  ready,
  'test/mailbox/postfix-oauth.test.ts: Postfix se arranca como root, y aquí las pruebas no corren como root o faltan postfix y dovecot-lmtpd sin apt-get para instalarlos (`sudo node scripts/setup.mjs --tests`).',
);

let oauth: TestOAuthServer;
let imap: TestImapServer;
let postfix: TestPostfix;
let temporal: TestWorkflowEnvironment;
let dir: string;
let env: Env;
const secret = Buffer.alloc(32, 7);

beforeAll(async () => {
  if (!ready) return;
  oauth = await startOAuthServer({ ttlSeconds: TOKEN_TTL_S, mailbox: REPLY_USER });
  [imap, temporal] = await Promise.all([
    startImapServer({
      oauth2: {
        introspectionUrl: oauth.introspectionUrl,
        clientId: oauth.introspectionClient.id,
        clientSecret: oauth.introspectionClient.secret,
        usernameAttribute: 'mailbox',
      },
      mta: { users: [NOTICES_USER] },
    }),
    startDevServer({ searchAttributes: Object.values(SEARCH_ATTRIBUTES) }),
  ]);
  postfix = await startPostfix({
    domain: DOMAIN,
    dovecot: imap.mta!,
    replyUser: REPLY_USER,
    noticesUser: NOTICES_USER,
    senders: { [REPLY_MAILBOX]: REPLY_USER },
  });
  dir = tempDir('postfix-oauth');
  const secretFile = `${dir}/client-secret`;
  writeFileSync(secretFile, `${oauth.clientSecret}\n`);
  env = parseEnv({
    // STARTTLS is required; the relay's certificate is a throwaway one the URL cannot name a CA for.
    PLAZOS_SMTP_URL: `smtp://${postfix.host}:${postfix.submissionPort}?requireTLS=true&tls.rejectUnauthorized=false`,
    PLAZOS_SMTP_USER: REPLY_USER,
    PLAZOS_MAIL_FROM: `Plazos <${REPLY_MAILBOX}>`,
    PLAZOS_MAIL_OAUTH_TOKEN_URL: oauth.tokenUrl,
    PLAZOS_MAIL_OAUTH_CLIENT_ID: oauth.clientId,
    PLAZOS_MAIL_OAUTH_CLIENT_SECRET_FILE: secretFile,
    PLAZOS_MAIL_OAUTH_SCOPE: oauth.scope,
  });
}, 60_000);

afterAll(async () => {
  await postfix?.stop();
  await Promise.all([imap?.stop(), oauth?.stop(), temporal?.teardown()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** What a send through the relay was refused with, as plazos names it. */
async function refusal(send: () => Promise<unknown>): Promise<MailFailure | 'sent'> {
  try {
    await send();
    return 'sent';
  } catch (err) {
    return describeMailFailure(err);
  }
}

const notice = { to: `comunicaciones@${DOMAIN}`, subject: 'Recordatorio', text: 'Faltan cinco días hábiles.' };

describe('notices through Postfix with OAuth (XOAUTH2 checked by Dovecot against oidc-provider)', () => {
  let receipts: string[] = [];

  itWithPostfix(
    "delivers a plan's kickoff burst into Dovecot exactly once per notice, renewing the token half-way",
    async () => {
      const tokenLines: string[] = [];
      const tokenLogger = pino({ level: 'debug' }, { write: (line: string) => void tokenLines.push(line) });
      const deps = testWorkerDeps(env.PLAZOS_SMTP_URL!, `${dir}/data`, {
        pool: true,
        smtpOAuth: smtpOAuthLogin(env, mailTokens(env, tokenLogger)),
        from: env.PLAZOS_MAIL_FROM,
        links: { baseUrl: 'http://plazos.test', secret },
        replyMailbox: REPLY_MAILBOX,
      });
      const activities = createActivities(deps);
      // The hold: past BEFORE_HOLD sends, each waits (heartbeating, as a slow send would) until released.
      let started = 0;
      let release!: () => void;
      const released = new Promise<void>((r) => (release = r));
      const held: typeof activities = {
        ...activities,
        async sendNotice(...args: Parameters<typeof activities.sendNotice>) {
          if (++started > BEFORE_HOLD) {
            const beat = setInterval(() => Context.current().heartbeat(), 1000);
            await released.finally(() => clearInterval(beat));
          }
          return activities.sendNotice(...args);
        },
      };
      const worker = await Worker.create({ connection: temporal.nativeConnection, taskQueue: TASK_QUEUE, ...workflowCode(), activities: held });
      const running = worker.run();
      try {
        const plan = planDueNow({ id: 'postfix-oauth', count: ACTIVITIES });
        await startPlan(temporal.client, plan, calendar, { taskQueue: TASK_QUEUE, searchAttributes: true });
        const inNotices = () => imap.list('INBOX', NOTICES_USER);
        await eventually(inNotices, (ids) => ids.length >= BEFORE_HOLD, 'the first part of the burst in Dovecot');
        const firstToken = tokenTimes(tokenLines)[0]!;
        // Past 80% of the first token's life it is renewed at the next login; by then the relay has
        // closed the pool's idle connections (smtpd_timeout), so the rest logs in again.
        await new Promise((r) => setTimeout(r, Math.max(0, firstToken + TOKEN_TTL_S * 900 - Date.now())));
        release();
        receipts = await kickoffReceipts(temporal.client, plan);
        const delivered = await eventually(inNotices, (ids) => ids.length >= ACTIVITIES, 'the whole burst in Dovecot');

        expect(receipts).toHaveLength(ACTIVITIES);
        const counts = countBy(delivered);
        expect([...counts.keys()].sort()).toEqual([...receipts].sort());
        expect([...counts.values()].every((n) => n === 1)).toBe(true);
        expect(tokenTimes(tokenLines).length).toBeGreaterThan(1);
        // Every relay login was a token checked by Dovecot, none a password.
        const logins = [...postfix.log().matchAll(/sasl_method=(\S+), sasl_username=(\S+)/g)].map((m) => `${m[1]} ${m[2]}`);
        expect(logins.length).toBeGreaterThan(1);
        expect(new Set(logins)).toEqual(new Set([`XOAUTH2 ${REPLY_USER}`]));
      } finally {
        release();
        worker.shutdown();
        await running;
        deps.close();
      }
    },
    90_000,
  );

  itWithPostfix('a reply to a notice comes in through the relay and the reader gets it from Dovecot by XOAUTH2, attachment and all', async () => {
    // The notice as an area received it: its Reply-To is the signed reply address.
    const replyTo = await firstReplyTo(imap);
    const inbound = nodemailer.createTransport({ host: postfix.host, port: postfix.inboundPort, secure: false, ignoreTLS: true });
    await inbound.sendMail({
      from: `comunicaciones@${DOMAIN}`,
      to: replyTo,
      subject: 'Re: Inicia la actividad 1',
      text: 'Adjunto el informe.',
      attachments: [{ filename: 'informe-actividad-1.pdf', content: Buffer.from('%PDF-1.4\n% informe\n') }],
    });
    inbound.close();
    await eventually(
      () => imap.list('INBOX'),
      (ids) => ids.length === 1,
      'the reply in the reply mailbox',
    );

    const tokens = clientCredentialsTokenSource({ tokenUrl: oauth.tokenUrl, clientId: oauth.clientId, clientSecret: oauth.clientSecret, scope: oauth.scope });
    const handled: string[] = [];
    const reader = startMailboxReader({
      imap: {
        host: imap.host,
        port: imap.port,
        secure: true,
        user: REPLY_USER,
        login: { accessToken: (renew) => tokens.get({ renew }).then((t) => t.value) },
        ca: imap.ca,
        servername: 'localhost',
      },
      folders: { processed: 'Plazos procesados', refused: 'Plazos rechazados' },
      pollMs: 60_000,
      maxMessageBytes: 1024 * 1024,
      handle: (message) => (handled.push(message.toString()), Promise.resolve({ folder: 'processed' as const })),
      logger: pino({ level: 'silent' }),
      retryMs: 200,
    });
    try {
      await reader.drained();
    } finally {
      await reader.stop();
    }
    expect(handled).toHaveLength(1);
    expect(handled[0]).toContain('informe-actividad-1.pdf');
    expect(handled[0]).toContain(replyTo);
    // The tag the reply came back to names one of the burst's notices.
    const id = noticeIdFromAddress(replyTo, REPLY_MAILBOX, replyKey(secret));
    expect(receipts.some((r) => r.startsWith(`<${id}@`))).toBe(true);
    expect(imap.loginMethods()).toContain('XOAUTH2');
  });

  itWithPostfix('the relay takes no mail from a client that did not log in, whatever the sender', async () => {
    const anonymous = nodemailer.createTransport({
      host: postfix.host,
      port: postfix.submissionPort,
      secure: false,
      requireTLS: true,
      tls: { ca: [postfix.ca], servername: 'localhost' },
    });
    const attempt = async (from: string) =>
      (await anonymous.sendMail({ ...notice, from }).then(
        () => ({ response: 'sent' }),
        (e: unknown) => e,
      )) as { response?: string };
    // A sender of the domain is refused for not having logged in; any other, as a relay attempt.
    expect((await attempt(REPLY_MAILBOX)).response).toMatch(/^553 5\.7\.1 .*Sender address rejected: not logged in/);
    expect((await attempt('alguien@otro.example')).response).toMatch(/^554 5\.7\.1 .*Access denied/);
    anonymous.close();
  });

  itWithPostfix('a sender the logged-in mailbox does not own (553 5.7.1) names PLAZOS_MAIL_FROM as what to change', async () => {
    const transport = createSmtpTransport(env.PLAZOS_SMTP_URL!, { oauth: smtpOAuthLogin(env, mailTokens(env)) });
    try {
      const failure = await refusal(() => transport.sendMail({ ...notice, from: `plazos@${DOMAIN}` }));
      expect(failure).toMatchObject({ code: 'send-as-denied' });
      expect((failure as MailFailure).fix).toContain('PLAZOS_MAIL_FROM');
      expect(postfix.log()).toMatch(/553 5\.7\.1 <plazos@entidad\.gov\.co>: Sender address rejected: not owned by user respuestas/);
    } finally {
      transport.close();
    }
  });

  itWithPostfix('a good token for another mailbox than PLAZOS_SMTP_USER is refused at login, naming PLAZOS_SMTP_USER', async () => {
    const transport = createSmtpTransport(env.PLAZOS_SMTP_URL!, { oauth: { user: 'plazos', tokens: mailTokens(env)!.forMailbox('plazos') } });
    try {
      const failure = await refusal(() => transport.sendMail({ ...notice, from: `plazos@${DOMAIN}` }));
      expect(failure).toMatchObject({ code: 'smtp-oauth-refused' });
      expect((failure as MailFailure).es).toContain('PLAZOS_SMTP_USER');
    } finally {
      transport.close();
    }
  });

  itWithPostfix('a wrong client secret, then a revoked app, get no token: the message names the OAuth settings', async () => {
    const withSecret = (clientSecret: string) =>
      createSmtpTransport(env.PLAZOS_SMTP_URL!, {
        oauth: {
          user: REPLY_USER,
          tokens: clientCredentialsTokenSource({ tokenUrl: oauth.tokenUrl, clientId: oauth.clientId, clientSecret, scope: oauth.scope }),
        },
      });
    const wrong = withSecret('secreto-equivocado-0000');
    const wrongFailure = await refusal(() => wrong.sendMail({ ...notice, from: REPLY_MAILBOX }));
    wrong.close();
    expect(wrongFailure).toMatchObject({ code: 'oauth-app-refused' });
    expect((wrongFailure as MailFailure).es).toContain('El servidor de autorización rechazó la aplicación (invalid_client)');
    expect((wrongFailure as MailFailure).es).toContain('PLAZOS_MAIL_OAUTH_CLIENT_SECRET_FILE');
    expect(JSON.stringify(wrongFailure)).not.toContain(oauth.clientSecret);

    await oauth.revoke();
    const revoked = withSecret(oauth.clientSecret);
    const revokedFailure = await refusal(() => revoked.sendMail({ ...notice, from: REPLY_MAILBOX }));
    revoked.close();
    expect(revokedFailure).toMatchObject({ code: 'oauth-app-refused' });
    expect((revokedFailure as MailFailure).es).toContain('El servidor de autorización rechazó la aplicación');
    expect(JSON.stringify(revokedFailure)).not.toContain(oauth.clientSecret);
  });
});

/** When each token was obtained (ms), from the token source's debug lines. */
function tokenTimes(lines: readonly string[]): number[] {
  return lines
    .map((l) => JSON.parse(l) as { msg?: string; time?: number })
    .filter((l) => l.msg === 'oauth: access token obtained')
    .map((l) => l.time!);
}

/** The Reply-To of the first notice in the areas' mailbox. */
async function firstReplyTo(server: TestImapServer): Promise<string> {
  const client = new ImapFlow({
    host: server.host,
    port: server.port,
    secure: true,
    auth: { user: NOTICES_USER, pass: server.password },
    tls: { ca: [server.ca], servername: 'localhost' },
    logger: false,
  });
  await client.connect();
  try {
    const lock = await client.getMailboxLock('INBOX');
    try {
      const first = await client.fetchOne('1', { envelope: true });
      const address = first && first.envelope?.replyTo?.[0]?.address;
      if (!address) throw new Error('the first notice has no Reply-To');
      return address;
    } finally {
      lock.release();
    }
  } finally {
    await client.logout();
  }
}
