/**
 * plazos-mailbox: reads the reply mailbox and hands what area leads answer to their workflows
 * (mailbox/README.md). A process of its own, beside the worker, rather than a Temporal workflow:
 * an IMAP session holds one TCP connection open in IDLE for hours, which a workflow cannot do and
 * an activity could only do as one endless heartbeating attempt; and a workflow that polled would
 * write every empty look at the inbox into its history for a year. Durability does not need a
 * workflow here: each message stays in the inbox until its workflow took it (the update ID makes
 * the hand-over idempotent), so this process keeps no state that a restart could lose.
 *
 * Configured by environment (README, config/schema.ts); stops cleanly on SIGINT/SIGTERM after the
 * message in hand.
 */
import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import type { Logger } from 'pino';
import { sentLedger } from '../activities/email';
import { loadOrCreateSecret, secretFilePath } from '../activities/email/link-secret';
import { mailTokens, smtpOAuthLogin, type MailTokens } from '../activities/email/mail-login';
import { senderDomain } from '../activities/email/message-id';
import { createReplyRegistry } from '../activities/email/reply-registry';
import { replyKey } from '../activities/email/reply-token';
import { createSmtpTransport, DEFAULT_SMTP_URL } from '../activities/email/transport';
import { createEvidenceStore, DEFAULT_EVIDENCE_LIMITS } from '../activities/evidence';
import type { AreasDirectory } from '../plans/areas';
import { loadAreasFile, resolveAreasPath } from '../config/load-areas';
import { createLogger } from '../config/logger';
import { ConfigError, parseEnv, type Env } from '../config/schema';
import type { BlobStore } from '../store/blobs';
import { openStores } from '../store/open';
import type { Records } from '../store/records';
import { createWriteGate, type WriteBounds, type WriteKind } from '../client/write-gate';
import { REFUSAL_BOUNDS, type RefusalBounds } from '../mailbox/answer-bound';
import { handleMessage, type HandleDeps } from '../mailbox/handle';
import { MIME_BOUNDS, type MimeBounds } from '../mailbox/mime-shape';
import { startMailboxReader, type ImapSettings, type MailboxReader } from '../mailbox/reader';
import { loadAnswerTemplates } from '../mailbox/templates';
import { connectionOptions } from '../config/temporal-connection';

/**
 * The IMAP settings from the environment; every missing or wrong variable named at once. With
 * `tokens` (PLAZOS_MAIL_OAUTH_*) the reader logs in with a token that acts as PLAZOS_IMAP_USER and needs no password.
 */
export function imapSettings(env: Env, tokens?: MailTokens): { mailbox: string; imap: ImapSettings } {
  const problems: string[] = [];
  if (!env.PLAZOS_REPLY_MAILBOX) problems.push('PLAZOS_REPLY_MAILBOX: falta el buzón de respuestas (p. ej. respuestas@entidad.gov.co).');
  if (!env.PLAZOS_IMAP_URL) problems.push('PLAZOS_IMAP_URL: falta el servidor IMAP (imaps://servidor:993).');
  if (!env.PLAZOS_IMAP_USER) problems.push('PLAZOS_IMAP_USER: falta el usuario del buzón.');
  let password = env.PLAZOS_IMAP_PASSWORD;
  if (env.PLAZOS_IMAP_PASSWORD_FILE && !tokens) {
    try {
      password = readFileSync(env.PLAZOS_IMAP_PASSWORD_FILE, 'utf8').trim();
      // Compose mounts /dev/null when .env names no password file (a login by OAuth 2.0 needs none).
      if (!password)
        problems.push(
          `PLAZOS_IMAP_PASSWORD_FILE: ${env.PLAZOS_IMAP_PASSWORD_FILE} está vacío (ponga la clave, o configure OAuth 2.0 con PLAZOS_MAIL_OAUTH_*).`,
        );
    } catch (err) {
      problems.push(`PLAZOS_IMAP_PASSWORD_FILE: no se pudo leer (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
    }
  }
  if (!tokens && !password && !env.PLAZOS_IMAP_PASSWORD_FILE) problems.push('PLAZOS_IMAP_PASSWORD_FILE (o PLAZOS_IMAP_PASSWORD): falta la clave del buzón.');
  let ca: string | undefined;
  if (env.PLAZOS_IMAP_CA_FILE) {
    try {
      ca = readFileSync(env.PLAZOS_IMAP_CA_FILE, 'utf8');
    } catch (err) {
      problems.push(`PLAZOS_IMAP_CA_FILE: no se pudo leer (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
    }
  }
  if (problems.length > 0) throw new ConfigError(`Configuración del buzón de respuestas incompleta:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  const url = new URL(env.PLAZOS_IMAP_URL!);
  const secure = url.protocol === 'imaps:';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const imapTokens = tokens?.forMailbox(env.PLAZOS_IMAP_USER!);
  return {
    mailbox: env.PLAZOS_REPLY_MAILBOX!,
    imap: {
      host,
      port: url.port ? Number(url.port) : secure ? 993 : 143,
      secure,
      user: env.PLAZOS_IMAP_USER!,
      login: imapTokens ? { accessToken: (renew) => imapTokens.get({ renew }).then((t) => t.value) } : { password: password! },
      ca,
    },
  };
}

/** Base64 makes an attachment a third larger; the rest of a reply is small beside it. */
export function maxMessageBytes(maxEvidenceBytes: number): number {
  return Math.ceil((maxEvidenceBytes * 4) / 3) + 1024 * 1024;
}

export interface MailboxParts {
  client: Client;
  areas: AreasDirectory;
  smtpUrl: string;
  logger: Logger;
  /** Where attached evidence is put: the same blob store the worker checks it in. */
  blobs: BlobStore;
  /** The records the worker writes (the reply registry, the sent-ledger) and the reader's processed-ledger. */
  records: Records;
  /** Tests only: see HandleDeps.afterAction. */
  afterAction?: HandleDeps['afterAction'];
  /** Wait before reconnecting after a failure (default 10 s). */
  retryMs?: number;
  /** The bounds of mailbox/README.md ("Bounds"); tests make them small. */
  bounds?: { write?: Readonly<Record<WriteKind, WriteBounds>>; refusals?: Readonly<RefusalBounds>; mime?: Readonly<MimeBounds> };
}

export function startMailbox(env: Env & { dataDir: string }, parts: MailboxParts): { reader: MailboxReader; close(): Promise<void> } {
  // One set of token sources for both logins of this process: each login takes the source for its own mailbox.
  const tokens = mailTokens(env, parts.logger);
  const { mailbox, imap } = imapSettings(env, tokens);
  const transport = createSmtpTransport(parts.smtpUrl, { pool: false, oauth: smtpOAuthLogin(env, tokens) });
  const maxBytes = DEFAULT_EVIDENCE_LIMITS.maxBytes;
  const now = () => Date.now();
  const gate = createWriteGate(parts.records.throttle, {
    now,
    bounds: parts.bounds?.write,
    onStoreError: (err) =>
      parts.logger.warn({ code: (err as { code?: string }).code ?? (err as Error).name }, 'write gate: store unreachable; write let through'),
  });
  const deps: HandleDeps = {
    mailbox,
    key: replyKey(loadOrCreateSecret(secretFilePath(env))),
    domain: senderDomain(env.PLAZOS_MAIL_FROM),
    registry: createReplyRegistry(parts.records.replies),
    areas: parts.areas,
    maxBytes,
    client: parts.client,
    store: createEvidenceStore(parts.blobs),
    processed: parts.records.processed,
    transport,
    ledger: sentLedger(parts.records.sent),
    from: env.PLAZOS_MAIL_FROM,
    templates: loadAnswerTemplates(),
    logger: parts.logger,
    afterAction: parts.afterAction,
    gate,
    throttle: parts.records.throttle,
    refusalBounds: parts.bounds?.refusals ?? REFUSAL_BOUNDS,
    mimeBounds: parts.bounds?.mime ?? MIME_BOUNDS,
    now,
  };
  const reader = startMailboxReader({
    imap,
    folders: { processed: env.PLAZOS_IMAP_PROCESSED_FOLDER, refused: env.PLAZOS_IMAP_REFUSED_FOLDER },
    pollMs: env.PLAZOS_IMAP_POLL_SECONDS * 1000,
    maxMessageBytes: maxMessageBytes(maxBytes),
    handle: (raw, options) => handleMessage(raw, deps, options),
    logger: parts.logger,
    retryMs: parts.retryMs,
  });
  return {
    reader,
    async close() {
      await reader.stop();
      transport.close();
    },
  };
}

function loadAreas(env: Env): AreasDirectory {
  const path = resolveAreasPath(env.PLAZOS_AREAS);
  const { areas, errors } = loadAreasFile(path);
  if (!areas || errors.length > 0)
    throw new ConfigError(`Directorio de áreas inválido (${path}):\n${errors.map((e) => `  línea ${e.line ?? '?'}: ${e.message}`).join('\n')}`);
  return areas;
}

async function main(): Promise<void> {
  const env = parseEnv();
  const logger = createLogger(env.LOG_LEVEL, { name: 'plazos-mailbox' });
  imapSettings(env, mailTokens(env));
  const stores = await openStores(env, logger);
  const connection = await Connection.connect(connectionOptions(env));
  const client = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE });
  const running = startMailbox(env, {
    client,
    areas: loadAreas(env),
    smtpUrl: env.PLAZOS_SMTP_URL ?? DEFAULT_SMTP_URL,
    logger,
    blobs: stores.blobs,
    records: stores.records,
  });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await running.close();
  await connection.close();
  await stores.close();
  logger.info('mailbox reader stopped');
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
