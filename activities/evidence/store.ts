/**
 * The evidence store: uploaded files kept by the sha256 of their content under
 * `<dataDir>/evidence/ab/cdef...`. The name is the content, so the same file uploaded twice is
 * stored once, and tampering shows as a hash that no longer matches.
 */
import { createHash, randomUUID, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { digestStream } from './digest';
import { evidenceMessage } from './messages';
import type { LocalizedMessage } from './types';

export interface PutOptions {
  maxBytes: number;
}

export interface StoredFile {
  sha256: string;
  size: number;
}

export type VerifyResult = { found: false } | { found: true; matches: boolean; actualSha256: string; size: number };

export interface EvidenceStore {
  /** Streams the content to disk, hashing as it goes; rejects with EvidenceTooLargeError over maxBytes. */
  put(source: Readable | Uint8Array, options: PutOptions): Promise<StoredFile>;
  has(sha256: string): Promise<boolean>;
  /** Where the file lives (or would live); for serving it, not for writing to it. */
  path(sha256: string): string;
  /** A stream of the stored content, or null when there is no such file. */
  open(sha256: string): Promise<Readable | null>;
  /** Re-reads the file and recomputes its hash. */
  verify(sha256: string): Promise<VerifyResult>;
}

/** An upload went past the size limit; nothing of it was kept. */
export class EvidenceTooLargeError extends Error {
  readonly code = 'too-large' as const;
  readonly userMessage: LocalizedMessage;
  constructor(readonly maxBytes: number) {
    const userMessage = evidenceMessage('too-large', { maxBytes });
    super(userMessage.es);
    this.name = 'EvidenceTooLargeError';
    this.userMessage = userMessage;
  }
}

const SHA256 = /^[0-9a-f]{64}$/;

// The hash becomes a path, so anything but 64 lowercase hex digits (say "../../etc") is refused.
function assertSha256(sha256: string): void {
  if (!SHA256.test(sha256)) throw new TypeError(`Not a lowercase sha256 hex digest: ${JSON.stringify(sha256)}`);
}

function isNotFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}

/** Counts and hashes what passes through, and fails the pipeline once it exceeds the limit. */
class MeteredHash extends Transform {
  readonly hash: Hash = createHash('sha256');
  size = 0;
  constructor(private readonly maxBytes: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) return done(new EvidenceTooLargeError(this.maxBytes));
    this.hash.update(chunk);
    done(null, chunk);
  }
}

export function createEvidenceStore(dataDir: string): EvidenceStore {
  const root = join(dataDir, 'evidence');
  // Temp files live beside the final ones so the rename stays on one filesystem and is atomic.
  const tmpDir = join(root, 'tmp');
  const path = (sha256: string): string => {
    assertSha256(sha256);
    return join(root, sha256.slice(0, 2), sha256.slice(2));
  };

  async function put(source: Readable | Uint8Array, options: PutOptions): Promise<StoredFile> {
    await mkdir(tmpDir, { recursive: true });
    const tmp = join(tmpDir, `${randomUUID()}.part`);
    const meter = new MeteredHash(options.maxBytes);
    const input = source instanceof Readable ? source : Readable.from([Buffer.from(source)]);
    try {
      await pipeline(input, meter, createWriteStream(tmp, { flags: 'wx', flush: true }));
      const sha256 = meter.hash.digest('hex');
      const target = path(sha256);
      await mkdir(dirname(target), { recursive: true });
      // Stored evidence never changes; read-only guards against an accidental edit in place.
      await chmod(tmp, 0o444);
      // Renaming over an existing copy is harmless (same content) and repairs a damaged one.
      await rename(tmp, target);
      return { sha256, size: meter.size };
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  async function openFile(sha256: string): Promise<Readable | null> {
    try {
      const handle = await open(path(sha256), 'r');
      return handle.createReadStream();
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async function has(sha256: string): Promise<boolean> {
    try {
      return (await stat(path(sha256))).isFile();
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  async function verify(sha256: string): Promise<VerifyResult> {
    const target = path(sha256);
    const stream = createReadStream(target);
    try {
      const digest = await digestStream(stream);
      return { found: true, matches: digest.sha256 === sha256, actualSha256: digest.sha256, size: digest.size };
    } catch (err) {
      if (isNotFound(err)) return { found: false };
      throw err;
    }
  }

  return { put, has, path, open: openFile, verify };
}
