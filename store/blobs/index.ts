/**
 * Blobs: content-addressed files behind one interface, a local directory or an S3 bucket. The S3
 * engine is not re-exported: openBlobStore loads it (and the AWS SDK) only when the settings name a
 * bucket, so the CLI and a local install never pay for it; tests import './s3' directly.
 */
export {
  assertSha256,
  BlobCorruptError,
  BlobTooLargeError,
  isSha256,
  type BlobLogger,
  type BlobPutOptions,
  type BlobStore,
  type BlobVerifyResult,
  type StoredBlob,
} from './blob-store';
export { createLocalBlobStore, type LocalBlobStoreOptions } from './local';
export type { S3BlobStore, S3BlobStoreOptions } from './s3';
export { openBlobStore, parseS3Url, type BlobEnv } from './open';
export { importDirectory, type ImportCount } from './import';
