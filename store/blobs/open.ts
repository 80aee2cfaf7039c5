/**
 * `openBlobStore(env, logger)`: the one place the blob store is chosen from the environment and
 * checked. A store that cannot be reached at start is a one-line error naming the setting, so a
 * wrong bucket or a closed port is found when the process starts, not at the first upload.
 */
import { readFileSync } from 'node:fs';
import { access, constants, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, type Env } from '../../config/schema';
import type { BlobLogger, BlobStore } from './blob-store';
import { createLocalBlobStore } from './local';
import type { S3BlobStoreOptions } from './s3';

export type BlobEnv = Pick<
  Env,
  | 'PLAZOS_BLOB_STORE'
  | 'PLAZOS_S3_ENDPOINT'
  | 'PLAZOS_S3_REGION'
  | 'PLAZOS_S3_ACCESS_KEY_ID'
  | 'PLAZOS_S3_SECRET_ACCESS_KEY_FILE'
  | 'PLAZOS_S3_FORCE_PATH_STYLE'
> & { dataDir: string };

/** `s3://bucket/a/b` → bucket and the key prefix `a/b/` ('' for none). */
export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const rest = url.replace(/^s3:\/\//, '');
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const path =
    slash < 0
      ? ''
      : rest
          .slice(slash + 1)
          .replace(/\/+/g, '/')
          .replace(/^\/|\/$/g, '');
  return { bucket, prefix: path ? `${path}/` : '' };
}

/** The access key id from the environment and the secret from its file; neither set: the SDK's default chain. */
function s3Credentials(env: BlobEnv): S3BlobStoreOptions['credentials'] {
  const id = env.PLAZOS_S3_ACCESS_KEY_ID;
  const file = env.PLAZOS_S3_SECRET_ACCESS_KEY_FILE;
  if (!id && !file) return undefined;
  if (!id) throw new ConfigError('PLAZOS_S3_ACCESS_KEY_ID: falta el identificador de la clave de acceso (PLAZOS_S3_SECRET_ACCESS_KEY_FILE está definido).');
  if (!file) throw new ConfigError('PLAZOS_S3_SECRET_ACCESS_KEY_FILE: falta el archivo con la clave secreta (PLAZOS_S3_ACCESS_KEY_ID está definido).');
  let secretAccessKey: string;
  try {
    secretAccessKey = readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new ConfigError(`PLAZOS_S3_SECRET_ACCESS_KEY_FILE: no se pudo leer ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  if (!secretAccessKey) throw new ConfigError(`PLAZOS_S3_SECRET_ACCESS_KEY_FILE: ${file} está vacío.`);
  return { accessKeyId: id, secretAccessKey };
}

/** Why a bucket did not answer, in a few words; never the credentials. */
function reason(err: unknown): string {
  const e = err as { name?: string; code?: string; message?: string; errors?: { code?: string }[]; $metadata?: { httpStatusCode?: number } };
  const httpStatus = e.$metadata?.httpStatusCode;
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'no respondió a tiempo';
  if (httpStatus === 403) return 'acceso denegado (403): revise PLAZOS_S3_ACCESS_KEY_ID y PLAZOS_S3_SECRET_ACCESS_KEY_FILE';
  if (httpStatus === 404) return 'el cubo no existe (404)';
  if (httpStatus === 301) return 'el cubo está en otra región (301): revise PLAZOS_S3_REGION';
  // A network failure's code (ECONNREFUSED, ENOTFOUND); the SDK's retry layer may have wrapped the
  // error so that only its message still says it.
  const code = e.code ?? e.errors?.find((x) => x.code)?.code ?? /\b(E[A-Z]{4,})\b/.exec(e.message ?? '')?.[1];
  if (code) return code;
  if (httpStatus) return `${e.name ?? 'error'} (${httpStatus})`;
  return (e.message ?? String(err)).split('\n')[0]!.slice(0, 200);
}

export async function openBlobStore(env: BlobEnv, logger: BlobLogger): Promise<BlobStore> {
  let store: BlobStore;
  if (env.PLAZOS_BLOB_STORE) {
    const { bucket, prefix } = parseS3Url(env.PLAZOS_BLOB_STORE);
    const { createS3BlobStore } = await import('./s3');
    const s3 = createS3BlobStore({
      bucket,
      prefix,
      endpoint: env.PLAZOS_S3_ENDPOINT,
      region: env.PLAZOS_S3_REGION,
      forcePathStyle: env.PLAZOS_S3_FORCE_PATH_STYLE,
      credentials: s3Credentials(env),
      spoolDir: join(env.dataDir, 'tmp', 'blobs'),
      logger,
    });
    try {
      await s3.ping();
    } catch (err) {
      s3.destroy();
      throw new ConfigError(`PLAZOS_BLOB_STORE: no se puede alcanzar ${s3.describe()} (${reason(err)}).`);
    }
    store = s3;
  } else {
    const dir = join(env.dataDir, 'blobs');
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await access(dir, constants.W_OK);
    } catch (err) {
      throw new ConfigError(`PLAZOS_DATA_DIR: no se puede escribir en ${dir} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
    }
    store = createLocalBlobStore({ dir, logger });
  }
  logger.info({ store: store.describe() }, 'blob store ready');
  return store;
}
