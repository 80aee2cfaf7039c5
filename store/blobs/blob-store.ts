/**
 * The blob store: files kept by the sha256 of their content, behind one interface with two engines
 * (a local directory, an S3 bucket). The key is the content, so the same file put twice is stored
 * once, and a file changed behind the store's back no longer hashes to its key: every read checks
 * that before it hands out a byte.
 */
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';

export interface BlobPutOptions {
  /** Bytes beyond this and the put fails with BlobTooLargeError, keeping nothing. */
  maxBytes: number;
}

export interface StoredBlob {
  sha256: string;
  size: number;
}

export type BlobVerifyResult = { found: false } | { found: true; matches: boolean; actualSha256: string; size: number };

export interface BlobStore {
  /** Streams the content in, hashing as it goes; over maxBytes it throws BlobTooLargeError and keeps nothing. */
  put(source: Readable | Uint8Array, options: BlobPutOptions): Promise<StoredBlob>;
  has(sha256: string): Promise<boolean>;
  /** The content, checked against its key before the first byte; null when absent, BlobCorruptError when it does not match. */
  open(sha256: string): Promise<Readable | null>;
  /** The content in memory, checked; null when absent, BlobTooLargeError over maxBytes, BlobCorruptError when it does not match. */
  read(sha256: string, options: BlobPutOptions): Promise<Buffer | null>;
  /** Reads the content and reports what it hashes to, without refusing it. */
  verify(sha256: string): Promise<BlobVerifyResult>;
  /** Every key in the store, in no particular order. */
  list(): AsyncIterable<string>;
  /** One line naming where the blobs are, without credentials: for logs and start-up errors. */
  describe(): string;
}

/** What the engines log through: a pino logger, or fastify's, which is one. */
export type BlobLogger = Pick<Logger, 'error' | 'warn' | 'info'>;

/** The content went past the size limit; nothing of it was kept. */
export class BlobTooLargeError extends Error {
  readonly code = 'too-large' as const;
  constructor(readonly maxBytes: number) {
    super(`Blob exceeds ${maxBytes} bytes`);
    this.name = 'BlobTooLargeError';
  }
}

/** The stored content no longer hashes to its key: damaged or changed behind the store's back. */
export class BlobCorruptError extends Error {
  readonly code = 'corrupt' as const;
  constructor(
    readonly sha256: string,
    readonly actualSha256: string,
  ) {
    super(`Blob ${sha256} is corrupt: its content hashes to ${actualSha256}`);
    this.name = 'BlobCorruptError';
  }
}

const SHA256 = /^[0-9a-f]{64}$/;

export function isSha256(key: string): boolean {
  return SHA256.test(key);
}

// The key becomes a file path or an object key, so anything but 64 lowercase hex digits (say
// "../../etc") is refused before it gets near either.
export function assertSha256(sha256: string): void {
  if (!isSha256(sha256)) throw new TypeError(`Not a lowercase sha256 hex digest: ${JSON.stringify(sha256).slice(0, 80)}`);
}

/** `ab/cdef…`: 256 folders of a few thousand files each rather than one folder of a million. */
export function shardedName(sha256: string): string {
  assertSha256(sha256);
  return `${sha256.slice(0, 2)}/${sha256.slice(2)}`;
}

/** Logs a refused read once, with the key and what the content hashes to, then returns the error to throw. */
export function corrupt(logger: BlobLogger, store: string, sha256: string, actualSha256: string): BlobCorruptError {
  logger.error({ sha256, actualSha256, store }, 'blob corrupt: content does not match its key; refused');
  return new BlobCorruptError(sha256, actualSha256);
}
