/**
 * The sent-ledger: which notices have already gone out. Temporal runs an activity at least once,
 * so before sending, the activity asks the ledger; after sending, it records the receipt.
 *
 * The file ledger keeps one small JSON file per key hash in the data directory. Each write goes
 * to a temporary file that is fsynced and then renamed over the final name (and the directory is
 * fsynced), so a reader in any process sees either no record or a whole one, even after a crash.
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
    typeof v === 'object' && v !== null && v.format === FORMAT && typeof v.idempotencyKey === 'string' &&
    typeof v.messageId === 'string' && isStringArray(v.accepted) && isStringArray(v.rejected)
  );
}

/** A record we cannot read means we cannot tell whether the mail went out: stop rather than guess. */
function unreadable(file: string, why: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(
    `El registro de envíos ${file} no se puede leer (${why}); revíselo antes de reintentar este aviso.`,
    'SentLedgerUnreadable',
  );
}

async function fsyncDirectory(dir: string): Promise<void> {
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

async function writeDurably(dir: string, file: string, content: string): Promise<void> {
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
  await fsyncDirectory(dir);
}

export function createFileLedger(dir: string): SentLedger {
  const fileFor = (key: string) => `${sha256Hex(key)}.json`;
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
      await fs.mkdir(dir, { recursive: true });
      const stored: StoredRecord = { format: FORMAT, ...entry };
      await writeDurably(dir, fileFor(entry.idempotencyKey), `${JSON.stringify(stored, null, 2)}\n`);
    },
  };
}
