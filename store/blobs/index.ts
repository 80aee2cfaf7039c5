/** Blobs: content-addressed files behind one interface, a local directory or an S3 bucket. */
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
export { createS3BlobStore, type S3BlobStore, type S3BlobStoreOptions } from './s3';
export { openBlobStore, parseS3Url, type BlobEnv } from './open';
export { importDirectory, type ImportCount } from './import';
