/**
 * The S3 engine, for more than one host: `<prefix>ab/cdef…` in a bucket. A put spools to a local
 * temp file while hashing (the key is the hash, known only at the end; and nothing reaches the
 * bucket when the content is over the limit), then uploads it with its length and its SHA-256, so
 * S3 checks the transfer too. A read downloads to a temp file and checks it before the first byte
 * goes out: a blob changed in the bucket is refused, never served.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import {
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  paginateListObjectsV2,
  type GetObjectCommandOutput,
} from '@aws-sdk/client-s3';
import {
  BlobTooLargeError,
  corrupt,
  isSha256,
  shardedName,
  type BlobLogger,
  type BlobPutOptions,
  type BlobStore,
  type BlobVerifyResult,
  type StoredBlob,
} from './blob-store';
import { asReadable, hashBytes, hashStream, spool } from './metered';

export interface S3BlobStoreOptions {
  bucket: string;
  /** '' or a prefix ending in '/'. */
  prefix: string;
  /** http(s)://host:port of an S3-compatible server; AWS's own endpoint when absent. */
  endpoint?: string;
  region: string;
  forcePathStyle: boolean;
  /** Absent: the SDK's default chain (an instance role, AWS_* variables). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Where uploads and downloads are spooled; on local disk, readable by the plazos user only. */
  spoolDir: string;
  logger: BlobLogger;
}

export interface S3BlobStore extends BlobStore {
  /** HeadBucket: resolves when the bucket answers with these credentials, rejects otherwise. */
  ping(timeoutMs?: number): Promise<void>;
  /** Closes the client's sockets. */
  destroy(): void;
}

function status(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}

function isMissingObject(err: unknown): boolean {
  const name = (err as { name?: string } | null)?.name;
  // A missing bucket is a configuration fault, not an absent blob: it must not read as "no such file".
  return name !== 'NoSuchBucket' && (name === 'NoSuchKey' || name === 'NotFound' || status(err) === 404);
}

export function createS3BlobStore(options: S3BlobStoreOptions): S3BlobStore {
  const { bucket, prefix, spoolDir, logger } = options;
  const client = new S3Client({
    region: options.region,
    endpoint: options.endpoint,
    forcePathStyle: options.forcePathStyle,
    credentials: options.credentials,
    // Content is checked end to end against its sha256 key on every read, which a transfer
    // checksum cannot do; an SDK-side mismatch error mid-stream would only hide which blob it was.
    responseChecksumValidation: 'WHEN_REQUIRED',
    // A bucket that does not answer fails a request instead of hanging the upload form.
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 120_000 },
  });
  const where = options.endpoint ? ` en ${options.endpoint}` : ` (AWS, ${options.region})`;
  const description = `s3://${bucket}/${prefix}`.replace(/\/$/, '') + where;
  const keyOf = (sha256: string): string => prefix + shardedName(sha256);

  async function tempFile(kind: string): Promise<string> {
    await mkdir(spoolDir, { recursive: true, mode: 0o700 });
    return join(spoolDir, `${randomUUID()}.${kind}`);
  }

  async function put(source: Readable | Uint8Array, opts: BlobPutOptions): Promise<StoredBlob> {
    const tmp = await tempFile('put');
    try {
      const stored = await spool(asReadable(source), tmp, opts.maxBytes);
      // Always uploaded, even when the key exists: the same bytes under the same key is still one
      // copy, and it repairs a damaged one.
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: keyOf(stored.sha256),
          Body: createReadStream(tmp),
          ContentLength: stored.size,
          ContentType: 'application/octet-stream',
          ChecksumSHA256: Buffer.from(stored.sha256, 'hex').toString('base64'),
        }),
      );
      return stored;
    } finally {
      await rm(tmp, { force: true });
    }
  }

  async function has(sha256: string): Promise<boolean> {
    try {
      await client.send(new HeadObjectCommand({ Bucket: bucket, Key: keyOf(sha256) }));
      return true;
    } catch (err) {
      if (isMissingObject(err)) return false;
      throw err;
    }
  }

  async function get(sha256: string): Promise<GetObjectCommandOutput | null> {
    const key = keyOf(sha256);
    try {
      return await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    } catch (err) {
      if (isMissingObject(err)) return null;
      throw err;
    }
  }

  async function openBlob(sha256: string): Promise<Readable | null> {
    const object = await get(sha256);
    if (!object) return null;
    const tmp = await tempFile('get');
    try {
      const { sha256: actual } = await spool(object.Body as Readable, tmp);
      if (actual !== sha256) throw corrupt(logger, description, sha256, actual);
      const handle = await open(tmp, 'r');
      // Unlinked while open: the stream still reads it, and the disk space comes back when the
      // stream closes, whether the reader finished or went away.
      await unlink(tmp);
      return handle.createReadStream();
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  async function read(sha256: string, opts: BlobPutOptions): Promise<Buffer | null> {
    const object = await get(sha256);
    if (!object) return null;
    const body = object.Body as Readable;
    if ((object.ContentLength ?? 0) > opts.maxBytes) {
      body.destroy();
      throw new BlobTooLargeError(opts.maxBytes);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      size += (chunk as Buffer).length;
      if (size > opts.maxBytes) {
        body.destroy();
        throw new BlobTooLargeError(opts.maxBytes);
      }
      chunks.push(chunk as Buffer);
    }
    const bytes = Buffer.concat(chunks);
    const actual = hashBytes(bytes);
    if (actual !== sha256) throw corrupt(logger, description, sha256, actual);
    return bytes;
  }

  async function verify(sha256: string): Promise<BlobVerifyResult> {
    const object = await get(sha256);
    if (!object) return { found: false };
    const digest = await hashStream(object.Body as Readable);
    return { found: true, matches: digest.sha256 === sha256, actualSha256: digest.sha256, size: digest.size };
  }

  async function* list(): AsyncIterable<string> {
    for await (const page of paginateListObjectsV2({ client }, { Bucket: bucket, Prefix: prefix })) {
      for (const object of page.Contents ?? []) {
        const name = (object.Key ?? '').slice(prefix.length).replace('/', '');
        // Anything else under the prefix (a stray upload, another tool's file) is not a blob.
        if (isSha256(name) && object.Key === keyOf(name)) yield name;
      }
    }
  }

  async function ping(timeoutMs = 10_000): Promise<void> {
    await client.send(new HeadBucketCommand({ Bucket: bucket }), { abortSignal: AbortSignal.timeout(timeoutMs) });
  }

  return { put, has, open: openBlob, read, verify, list, describe: () => description, ping, destroy: () => client.destroy() };
}
