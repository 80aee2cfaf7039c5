/**
 * The reply mailbox on a real stack: Temporal's dev server, the production workflows and
 * activities (evidence links and the signed Reply-To on), a real SMTP capture, Dovecot over TLS on
 * loopback as the entity's mailbox, an evidence URL server, and the mailbox reader of
 * workers/mailbox.ts configured by environment as in production.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import pino, { type Logger } from 'pino';
import { createActivities } from '../../activities';
import { parseEnv } from '../../config/schema';
import { startEvidenceServer, type EvidenceServer } from '../../simulation/evidence-server';
import { startMailCapture, type CapturedMail, type MailCapture } from '../../simulation/mail-capture';
import { startMailbox, type MailboxParts } from '../../workers/mailbox';
import { workflowCode } from '../../workers/workflow-code';
import { startPlan } from '../../client/start-plan';
import type { Plan } from '../../plans/model';
import type { BusinessCalendar } from '../../calendar/business-calendar';
import { SEARCH_ATTRIBUTES, statusQuery, type PeriodStatusView } from '../../workflows/shared';
import { webTestPlan } from '../web/stack';
import { startImapServer, type ImapServerOptions, type TestImapServer } from '../helpers/imap';
import { seedAreas } from '../helpers/seed';
import { startDevServer } from '../helpers/temporal';
import { testBlobs, testWorkerDeps } from '../helpers/worker-deps';
import { testRecords } from '../helpers/records';

export const REPLY_MAILBOX = 'respuestas@entidad.gov.co';
export const FOLDERS = { processed: 'Plazos procesados', refused: 'Plazos rechazados' } as const;

export interface MailboxStack {
  env: TestWorkflowEnvironment;
  mail: MailCapture;
  imap: TestImapServer;
  evidence: EvidenceServer;
  dataDir: string;
  /** The link secret the worker and the reader share (the reply tags' key derives from it). */
  secret: Buffer;
  taskQueue: string;
  /**
   * Starts a mailbox reader (the production one); `afterAction` as in HandleDeps, to stop it mid-way;
   * `env` replaces variables of its environment; `logger` to read what it logs.
   */
  startReader(afterAction?: (key: string) => void | Promise<void>, options?: ReaderOptions): ReturnType<typeof startMailbox>;
  /** The messages the capture received for an address, newest last. */
  mailTo(address: string): CapturedMail[];
  stop(): Promise<void>;
}

/** `env` replaces variables of the reader's environment; `logger` to read what it logs; `bounds` small ones for a test. */
export interface ReaderOptions {
  env?: Record<string, string | undefined>;
  logger?: Logger;
  bounds?: MailboxParts['bounds'];
}

export async function startMailboxStack(taskQueue: string, options: ImapServerOptions = {}): Promise<MailboxStack> {
  const [env, mail, imap, evidence] = await Promise.all([
    startDevServer({ searchAttributes: Object.values(SEARCH_ATTRIBUTES) }),
    startMailCapture(),
    startImapServer(options),
    startEvidenceServer(),
  ]);
  const dataDir = mkdtempSync(join(tmpdir(), 'plazos-mailbox-'));
  const secret = Buffer.alloc(32, 9);
  // The worker and the reader share the data directory and the secret file, as in docker-compose.yml.
  writeFileSync(join(dataDir, 'secret.key'), `${secret.toString('base64')}\n`, { mode: 0o600 });
  const caFile = join(dataDir, 'imap-ca.pem');
  writeFileSync(caFile, imap.ca);
  const deps = testWorkerDeps(mail.url, dataDir, { allowPrivateEvidence: true, links: { baseUrl: 'http://plazos.test', secret }, replyMailbox: REPLY_MAILBOX });
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, ...workflowCode(), activities: createActivities(deps) });
  const running = worker.run();
  const readerVars = {
    PLAZOS_DATA_DIR: dataDir,
    PLAZOS_MAIL_FROM: 'Plazos <plazos@entidad.test>',
    PLAZOS_REPLY_MAILBOX: REPLY_MAILBOX,
    PLAZOS_IMAP_URL: `imaps://${imap.host}:${imap.port}`,
    PLAZOS_IMAP_USER: imap.user,
    PLAZOS_IMAP_PASSWORD: imap.password,
    PLAZOS_IMAP_CA_FILE: caFile,
    PLAZOS_IMAP_POLL_SECONDS: '5',
  };
  const readers: ReturnType<typeof startMailbox>[] = [];
  return {
    env,
    mail,
    imap,
    evidence,
    dataDir,
    secret,
    taskQueue,
    startReader(afterAction, options = {}) {
      const readerEnv = parseEnv({ ...readerVars, ...options.env });
      const reader = startMailbox(readerEnv, {
        client: env.client,
        areas: seedAreas(),
        smtpUrl: mail.url,
        logger: options.logger ?? pino({ level: 'silent' }),
        blobs: testBlobs(readerEnv.dataDir),
        records: testRecords(readerEnv.dataDir),
        afterAction,
        retryMs: 200,
        bounds: options.bounds,
      });
      readers.push(reader);
      return reader;
    },
    mailTo: (address) => mail.messages.filter((m) => m.to.includes(address) || m.cc.includes(address)),
    async stop() {
      await Promise.all(readers.map((r) => r.close()));
      worker.shutdown();
      await running;
      deps.close();
      await Promise.all([env.teardown(), mail.close(), imap.stop(), evidence.close()]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The leads of the four-activity plan of web/stack.ts, by the activity they lead. */
export const LEADS = {
  VIVIENDA: 'vivienda@entidad.gov.co', // ARVIV, activity 1
  SERVICIO: 'servicio.afiliado@entidad.gov.co', // ASERA, lead of activity 2
  COMUNICACIONES: 'comunicaciones@entidad.gov.co', // ARCOM, activity 3
  CONSUMIDOR: 'consumidor.financiero@entidad.gov.co', // ARACF, activity 4
  PLANEACION: 'planeacion@entidad.gov.co', // OAPLA
} as const;

export interface RepliedPlan {
  readonly stack: MailboxStack;
  /** The reader running now; a test that stops it and starts another puts the new one here. */
  reader: ReturnType<MailboxStack['startReader']>;
  readonly plan: Plan;
  readonly calendar: BusinessCalendar;
  /** The status query of activity n. */
  status(n: number): Promise<PeriodStatusView>;
  /** The kickoff plazos sent to this address. */
  kickoff(address: string): CapturedMail;
  /** Puts a reply in the mailbox and waits until the reader has had a full look at it. */
  deliver(raw: string): Promise<void>;
}

/**
 * For a test file: the four-activity plan started on the mailbox stack with every kickoff sent,
 * and the production reader running (beforeAll); every workflow cancelled and the stack stopped
 * (afterAll).
 */
export function useRepliedPlan(taskQueue: string, readerOptions: ReaderOptions = {}): RepliedPlan {
  const { calendar, plan } = webTestPlan(4);
  let stack: MailboxStack | undefined;
  let reader: ReturnType<MailboxStack['startReader']> | undefined;
  beforeAll(async () => {
    stack = await startMailboxStack(taskQueue);
    await startPlan(stack.env.client, plan, calendar, { taskQueue: stack.taskQueue, searchAttributes: true, kickoffNow: true });
    await stack.mail.waitFor(4, 30_000);
    reader = stack.startReader(undefined, readerOptions);
  }, 120_000);
  afterAll(async () => {
    for (const n of [1, 2, 3, 4])
      await stack?.env.client.workflow
        .getHandle(`${plan.id}/${n}`)
        .signal('cancel', { reason: 'fin de la prueba' })
        .catch(() => undefined);
    await stack?.stop();
  });
  const started = () => {
    if (!stack || !reader) throw new Error('the mailbox stack has not started (beforeAll)');
    return { stack, reader };
  };
  return {
    get stack() {
      return started().stack;
    },
    get reader() {
      return started().reader;
    },
    set reader(r) {
      reader = r;
    },
    plan,
    calendar,
    status: async (n) => (await started().stack.env.client.workflow.getHandle(`${plan.id}/${n}`).query(statusQuery)) as PeriodStatusView,
    kickoff: (address) => {
      const m = started().stack.mail.messages.find((x) => x.to.includes(address) && x.headers.get('x-plazos-notice') === 'kickoff');
      if (!m) throw new Error(`no kickoff to ${address}`);
      return m;
    },
    deliver: async (raw) => {
      await started().stack.imap.deliver(raw);
      await started().reader.reader.drained();
    },
  };
}
