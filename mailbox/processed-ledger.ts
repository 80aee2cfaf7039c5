/**
 * The messages of the reply mailbox already acted on, by Message-ID: the folder each goes to and
 * what was done. Recorded after the action (submission, answer) and before the message is moved,
 * so a message read again (a crash before the move, a copy delivered twice) is moved, not acted on
 * twice. One JSON file per key hash, written like the sent-ledger's (temp, fsync, rename).
 */
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { sha256Hex } from '../activities/email/message-id';
import { fsyncDirectory, writeDurably } from '../activities/email/sent-ledger';

export type Folder = 'processed' | 'refused';

export interface Processed {
  key: string;
  folder: Folder;
  /** What was done, as a code: `evidence:E2`, `progress`, `refused-sender`, `not-received:nothing`, `ignore:auto-reply`. */
  outcome: string;
}

export interface ProcessedLedger {
  find(key: string): Promise<Processed | null>;
  record(entry: Processed): Promise<void>;
}

export function createProcessedLedger(dir: string): ProcessedLedger {
  const fileOf = (key: string) => `${sha256Hex(key)}.json`;
  return {
    async find(key) {
      try {
        const parsed = JSON.parse(await fs.readFile(join(dir, fileOf(key)), 'utf8')) as Processed;
        return parsed.key === key ? parsed : null;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async record(entry) {
      await fs.mkdir(dir, { recursive: true });
      await writeDurably(dir, fileOf(entry.key), `${JSON.stringify(entry)}\n`, () => fsyncDirectory(dir));
    },
  };
}
