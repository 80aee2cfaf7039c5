/**
 * `openStores(env, logger)`: plazos's records and blob store as configured, checked at start, with
 * the file stores of an earlier version copied in on the first start (store/upgrade.ts). Every
 * process (worker, web app, mailbox reader, CLI) opens them here.
 */
import type { Env } from '../config/schema';
import { openBlobStore, type BlobEnv, type BlobLogger, type BlobStore } from './blobs';
import { openRecords, type Records } from './records';
import { markUpgraded, upgradeDataDir, upgradeDone, type UpgradeCount } from './upgrade';

export type StoreEnv = BlobEnv & Pick<Env, 'PLAZOS_DATABASE_URL' | 'PLAZOS_DATABASE_PASSWORD_FILE'>;

export interface Stores {
  records: Records;
  blobs: BlobStore;
  close(): Promise<void>;
}

export async function openStores(env: StoreEnv, logger: BlobLogger, options: { upgrade?: boolean } = {}): Promise<Stores> {
  const records = await openRecords({ url: env.PLAZOS_DATABASE_URL, passwordFile: env.PLAZOS_DATABASE_PASSWORD_FILE, dataDir: env.dataDir });
  let blobs: BlobStore;
  try {
    blobs = await openBlobStore(env, logger);
  } catch (error) {
    await records.close();
    throw error;
  }
  logger.info({ records: records.describe(), blobs: blobs.describe() }, 'stores ready');
  const stores: Stores = { records, blobs, close: () => records.close() };
  if (options.upgrade !== false && !(await upgradeDone(env.dataDir))) {
    const count = await upgradeDataDir(env.dataDir, stores, logger);
    await markUpgraded(env.dataDir, count);
    logger.info(count, 'files of an earlier version copied into the stores; the old files are left for the operator to remove');
  }
  return stores;
}

export type { UpgradeCount };
