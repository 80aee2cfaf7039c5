/**
 * The sent-ledger: which notices have already gone out. Temporal runs an activity at least once,
 * so before sending, the activity asks the ledger; after sending, it records the receipt.
 *
 * The file ledger keeps one small JSON file per key hash in the data directory. Each write goes
 * to a temporary file that is fsynced and then renamed over the final name (and the directory is
 * fsynced), so a reader in any process sees either no record or a whole one, even after a crash.
 *
 * At the 08:00 burst hundreds of records land at once. The file's own fsync cannot be shared, but
 * the directory's can: one directory fsync that starts after a rename makes that rename durable,
 * so the records renamed while one directory fsync runs all wait for the next one and share it
 * (group commit). A burst then costs about one fsync per message instead of two.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { sha256Hex } from './message-id';
import type { SentRecord } from './types';

export interface SentLedger {
  /** The stored receipt for this key, or null when it has not been sent. */
  find(idempotencyKey: string): Promise<SentRecord | null>;
  /** Durably records a sent notice; on return, a crash no longer loses it. */
  record(entry: SentRecord): Promise<void>;
}

const FORMAT = 1;

interface StoredRecord extends SentRecord {
  format: typeof FORMAT;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function isStored(value: unknown): value is StoredRecord {
  const v = value as Partial<StoredRecord> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    v.format === FORMAT &&
    typeof v.idempotencyKey === 'string' &&
    typeof v.messageId === 'string' &&
    isStringArray(v.accepted) &&
    isStringArray(v.rejected)
  );
}

/** A record we cannot read means we cannot tell whether the mail went out: stop rather than guess. */
function unreadable(file: string, why: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(
    `El registro de envíos ${file} no se puede leer (${why}); revíselo antes de reintentar este aviso.`,
    'SentLedgerUnreadable',
  );
}

export async function fsyncDirectory(dir: string): Promise<void> {
  // Makes the rename itself durable on Linux; some platforms cannot open a directory, which is fine there.
  let handle: FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EACCES') throw error;
  } finally {
    await handle?.close();
  }
}

/**
 * Shares one run of `task` among the callers that arrive while another run is in progress. A
 * caller only ever joins a run that starts after it called: a run already in progress may have
 * started before the caller's rename, so it does not count for that caller.
 */
export function groupCommit(task: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let next: Promise<void> | null = null;
  const start = (): Promise<void> => {
    const run = task().finally(() => {
      if (running === run) running = null;
    });
    running = run;
    return run;
  };
  return () => {
    if (!running) return start();
    next ??= running
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        next = null;
        return start();
      });
    return next;
  };
}

export async function writeDurably(dir: string, file: string, content: string, syncDirectory: () => Promise<void>): Promise<void> {
  const temp = join(dir, `.${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await fs.open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(temp, join(dir, file));
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  await syncDirectory();
}

export function createFileLedger(dir: string): SentLedger {
  const fileFor = (key: string) => `${sha256Hex(key)}.json`;
  const syncDirectory = groupCommit(() => fsyncDirectory(dir));
  // Created once per ledger rather than once per record: at the burst every call waits in libuv's
  // small thread pool behind the fsyncs. A failed attempt is forgotten so the next record tries
  // again, and a directory removed while the worker runs is created again (as it was per record).
  let created: Promise<void> | null = null;
  const ensureDirectory = () =>
    (created ??= fs.mkdir(dir, { recursive: true }).then(
      () => undefined,
      (error: unknown) => {
        created = null;
        throw error;
      },
    ));
  return {
    async find(idempotencyKey) {
      const file = join(dir, fileFor(idempotencyKey));
      let raw: string;
      try {
        raw = await fs.readFile(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        throw unreadable(file, 'JSON inválido');
      }
      if (!isStored(parsed)) throw unreadable(file, 'formato desconocido');
      if (parsed.idempotencyKey !== idempotencyKey) throw unreadable(file, 'la clave no coincide');
      const { messageId, accepted, rejected } = parsed;
      return { idempotencyKey, messageId, accepted, rejected };
    },
    async record(entry) {
      const stored: StoredRecord = { format: FORMAT, ...entry };
      const write = async () => {
        await ensureDirectory();
        await writeDurably(dir, fileFor(entry.idempotencyKey), `${JSON.stringify(stored, null, 2)}\n`, syncDirectory);
      };
      try {
        await write();
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        created = null;
        await write();
      }
    },
  };
}
