/** Hashing and counting what passes through, shared by both engines' put and read paths. */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BlobTooLargeError } from './blob-store';

/** Counts and hashes what passes through, and fails the pipeline once it exceeds the limit. */
export class MeteredHash extends Transform {
  readonly hash: Hash = createHash('sha256');
  size = 0;
  constructor(private readonly maxBytes = Infinity) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) return done(new BlobTooLargeError(this.maxBytes));
    this.hash.update(chunk);
    done(null, chunk);
  }
}

export function asReadable(source: Readable | Uint8Array): Readable {
  return source instanceof Readable ? source : Readable.from([Buffer.from(source.buffer, source.byteOffset, source.byteLength)]);
}

/**
 * Writes the source to `path` (which must not exist: `wx`), hashing it on the way; `flush` so the
 * bytes are on disk before the caller renames or uploads the file.
 */
export async function spool(source: Readable, path: string, maxBytes = Infinity): Promise<{ sha256: string; size: number }> {
  const meter = new MeteredHash(maxBytes);
  await pipeline(source, meter, createWriteStream(path, { flags: 'wx', mode: 0o600, flush: true }));
  return { sha256: meter.hash.digest('hex'), size: meter.size };
}

/** sha256 and size of a stream's content, without keeping it. */
export async function hashStream(source: Readable): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of source) {
    const buf = chunk as Buffer;
    size += buf.length;
    hash.update(buf);
  }
  return { sha256: hash.digest('hex'), size };
}

export function hashBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function hashFile(path: string): Promise<{ sha256: string; size: number }> {
  return hashStream(createReadStream(path));
}
