/**
 * Checks an uploaded file before OAPLA reviews it: it is in the store, it is the file that was
 * uploaded (hash and size), it is within the size limit, and it is the type it claims to be.
 */
import type { Readable } from 'node:stream';
import { BlobCorruptError } from '../../store/blobs';
import { digestStream } from './digest';
import { isAllowedMediaType, matchesMagic, SNIFF_BYTES } from './media-types';
import type { EvidenceStore } from './store';
import type { EvidenceCheckCode, FileEvidence } from './types';

export interface FileCheckLimits {
  maxBytes: number;
  allowedMediaTypes: readonly string[];
}

export interface FileOutcome {
  code: EvidenceCheckCode;
  /** Set for type-not-allowed when the type is accepted but the content is something else. */
  contentMismatch?: boolean;
}

export async function checkFile(input: FileEvidence, store: EvidenceStore, limits: FileCheckLimits): Promise<FileOutcome> {
  // Cheap refusals first: no reason to read a file whose declared type or size is unacceptable.
  // open() reads the whole file to check it against its hash, so the declared size is judged before.
  if (!isAllowedMediaType(input.mediaType, limits.allowedMediaTypes)) return { code: 'type-not-allowed' };
  if (!(await store.has(input.sha256))) return { code: 'missing-file' };
  if (input.size > limits.maxBytes) return { code: 'too-large' };
  let stream: Readable | null;
  try {
    stream = await store.open(input.sha256);
  } catch (err) {
    // Changed since the upload: the store refuses to hand it out, and the lead must upload it again.
    if (err instanceof BlobCorruptError) return { code: 'hash-mismatch' };
    throw err;
  }
  if (stream === null) return { code: 'missing-file' };
  const digest = await digestStream(stream, { headBytes: SNIFF_BYTES, maxBytes: limits.maxBytes });
  if (digest.overLimit) return { code: 'too-large' };
  // The hash is the file's identity, so it decides first; a size that differs with a matching
  // hash means the record of the upload is wrong, not the file.
  if (digest.sha256 !== input.sha256) return { code: 'hash-mismatch' };
  if (digest.size !== input.size) return { code: 'size-mismatch' };
  if (!matchesMagic(input.mediaType, digest.head)) return { code: 'type-not-allowed', contentMismatch: true };
  return { code: 'ok' };
}
