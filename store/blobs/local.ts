/**
 * The local directory engine, the embedded default: `<dir>/ab/cdef…`. A put streams to a temp
 * file in `<dir>/tmp` (the same filesystem, so the rename is atomic), flushed before the rename,
 * so a partial or over-limit upload never appears under a key. Files 0600 and folders 0700: the
 * blobs are evidence people handed in, readable by the plazos user only.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import {
  corrupt,
  shardedName,
  type BlobLogger,
  type BlobPutOptions,
  type BlobStore,
  type BlobVerifyResult,
  type StoredBlob,
  BlobTooLargeError,
} from './blob-store';
import { asReadable, hashBytes, hashFile, hashStream, spool } from './metered';

export interface LocalBlobStoreOptions {
  dir: string;
  logger: BlobLogger;
}

function isNotFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}

const SHARD = /^[0-9a-f]{2}$/;
const REST = /^[0-9a-f]{62}$/;

export function createLocalBlobStore({ dir, logger }: LocalBlobStoreOptions): BlobStore {
  const tmpDir = join(dir, 'tmp');
  const description = `directorio ${dir}`;
  const pathOf = (sha256: string): string => join(dir, ...shardedName(sha256).split('/'));

  async function put(source: Readable | Uint8Array, options: BlobPutOptions): Promise<StoredBlob> {
    await mkdir(tmpDir, { recursive: true, mode: 0o700 });
    const tmp = join(tmpDir, `${randomUUID()}.part`);
    try {
      const stored = await spool(asReadable(source), tmp, options.maxBytes);
      await mkdir(join(dir, stored.sha256.slice(0, 2)), { recursive: true, mode: 0o700 });
      // Renaming over an existing copy is harmless (same content) and repairs a damaged one.
      await rename(tmp, pathOf(stored.sha256));
      return stored;
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  async function has(sha256: string): Promise<boolean> {
    try {
      return (await stat(pathOf(sha256))).isFile();
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  async function openHandle(sha256: string): Promise<FileHandle | null> {
    try {
      return await open(pathOf(sha256), 'r');
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async function openBlob(sha256: string): Promise<Readable | null> {
    const handle = await openHandle(sha256);
    if (!handle) return null;
    try {
      // Hashed and then served through the same open file: a rename over the key in between
      // cannot swap in content that was not checked.
      const { sha256: actual } = await hashStream(handle.createReadStream({ start: 0, autoClose: false }));
      if (actual !== sha256) throw corrupt(logger, description, sha256, actual);
      return handle.createReadStream({ start: 0 });
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  async function read(sha256: string, options: BlobPutOptions): Promise<Buffer | null> {
    const handle = await openHandle(sha256);
    if (!handle) return null;
    try {
      if ((await handle.stat()).size > options.maxBytes) throw new BlobTooLargeError(options.maxBytes);
      const bytes = await handle.readFile();
      if (bytes.length > options.maxBytes) throw new BlobTooLargeError(options.maxBytes);
      const actual = hashBytes(bytes);
      if (actual !== sha256) throw corrupt(logger, description, sha256, actual);
      return bytes;
    } finally {
      await handle.close();
    }
  }

  async function verify(sha256: string): Promise<BlobVerifyResult> {
    try {
      const digest = await hashFile(pathOf(sha256));
      return { found: true, matches: digest.sha256 === sha256, actualSha256: digest.sha256, size: digest.size };
    } catch (err) {
      if (isNotFound(err)) return { found: false };
      throw err;
    }
  }

  async function* list(): AsyncIterable<string> {
    const shards = await readdir(dir).catch((err: unknown) => {
      if (isNotFound(err)) return [];
      throw err;
    });
    for (const shard of shards.filter((s) => SHARD.test(s)).sort()) {
      const names = await readdir(join(dir, shard)).catch((err: unknown) => {
        if (isNotFound(err)) return [];
        throw err;
      });
      for (const name of names) if (REST.test(name)) yield shard + name;
    }
  }

  return { put, has, open: openBlob, read, verify, list, describe: () => description };
}
