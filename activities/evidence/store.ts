/**
 * The evidence store: uploaded files kept in the blob store (store/blobs) by the sha256 of their
 * content, so the same file uploaded twice is stored once, every host of the web app and the worker
 * sees the same files, and tampering shows as a hash that no longer matches. What this layer adds is
 * the area lead's side: an upload over the limit is refused with a message they can read.
 */
import type { Readable } from 'node:stream';
import { BlobTooLargeError, type BlobPutOptions, type BlobStore, type BlobVerifyResult, type StoredBlob } from '../../store/blobs';
import { evidenceMessage } from './messages';
import type { LocalizedMessage } from './types';

export type PutOptions = BlobPutOptions;
export type StoredFile = StoredBlob;
export type VerifyResult = BlobVerifyResult;

export interface EvidenceStore {
  /** Streams the content into the blob store, hashing as it goes; rejects with EvidenceTooLargeError over maxBytes. */
  put(source: Readable | Uint8Array, options: PutOptions): Promise<StoredFile>;
  has(sha256: string): Promise<boolean>;
  /** A stream of the stored content, checked against its hash first; null when there is no such file, BlobCorruptError when it no longer matches. */
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

export function createEvidenceStore(blobs: BlobStore): EvidenceStore {
  async function put(source: Readable | Uint8Array, options: PutOptions): Promise<StoredFile> {
    try {
      return await blobs.put(source, options);
    } catch (err) {
      if (err instanceof BlobTooLargeError) throw new EvidenceTooLargeError(err.maxBytes);
      throw err;
    }
  }
  return {
    put,
    has: (sha256) => blobs.has(sha256),
    open: (sha256) => blobs.open(sha256),
    verify: (sha256) => blobs.verify(sha256),
  };
}
