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
import { startMailbox } from '../../workers/mailbox';
import { workflowCode } from '../../workers/workflow-code';
import { SEARCH_ATTRIBUTES } from '../../workflows/shared';
import { startImapServer, type ImapServerOptions, type TestImapServer } from '../helpers/imap';
import { seedAreas } from '../helpers/seed';
import { startDevServer } from '../helpers/temporal';
import { testWorkerDeps } from '../helpers/worker-deps';

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
  startReader(
    afterAction?: (key: string) => void | Promise<void>,
    options?: { env?: Record<string, string | undefined>; logger?: Logger },
  ): ReturnType<typeof startMailbox>;
  /** The messages the capture received for an address, newest last. */
  mailTo(address: string): CapturedMail[];
  stop(): Promise<void>;
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
        afterAction,
        retryMs: 200,
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
