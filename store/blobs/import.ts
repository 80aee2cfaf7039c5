/**
 * Copies a directory in the blob layout (`ab/cdef…`) into a blob store: how files kept before the
 * blob store existed, or on another engine, get into it. Each file is hashed first; one whose
 * content does not match its name is left where it is and counted, never stored under a key it
 * does not hash to. Safe to run again and from two processes at once: keys present are skipped,
 * and storing the same content twice stores it once.
 */
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlobLogger, BlobStore } from './blob-store';
import { hashFile } from './metered';

const SHARD = /^[0-9a-f]{2}$/;
const REST = /^[0-9a-f]{62}$/;

export interface ImportCount {
  imported: number;
  present: number;
  refused: number;
}

export async function importDirectory(dir: string, store: BlobStore, logger: BlobLogger): Promise<ImportCount> {
  const count: ImportCount = { imported: 0, present: 0, refused: 0 };
  const shards = await readdir(dir).catch(() => [] as string[]);
  for (const shard of shards.filter((s) => SHARD.test(s))) {
    const names = await readdir(join(dir, shard)).catch(() => [] as string[]);
    for (const name of names.filter((n) => REST.test(n))) {
      const key = shard + name;
      if (await store.has(key)) {
        count.present++;
        continue;
      }
      const path = join(dir, shard, name);
      const digest = await hashFile(path);
      if (digest.sha256 !== key) {
        logger.warn({ sha256: key, actualSha256: digest.sha256, from: dir }, 'file does not match its name; not copied into the blob store');
        count.refused++;
        continue;
      }
      await store.put(createReadStream(path), { maxBytes: Infinity });
      count.imported++;
    }
  }
  return count;
}
