/**
 * `plazos data migrate`: copies what an earlier version kept in files of the data directory into
 * the stores the settings name (store/upgrade.ts), and prints what it copied. Every process does the
 * same at its first start; the command is for an operator who wants to see it, or to move a data
 * directory into PostgreSQL and S3 before starting anything.
 */
import pino from 'pino';
import { ConfigError, parseEnv } from '../config/schema';
import { openStores, type Stores } from '../store/open';
import { markUpgraded, upgradeDataDir } from '../store/upgrade';
import { CliError, EXIT } from '../domain/errors';
import { t } from './i18n';

export async function migrateCommand(opts: { json?: boolean }): Promise<number> {
  let stores: Stores;
  let dataDir: string;
  const logger = pino({ name: 'plazos', level: 'warn' }, pino.destination(2));
  try {
    const config = parseEnv();
    dataDir = config.dataDir;
    stores = await openStores(config, logger, { upgrade: false });
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message, EXIT.usage);
    throw err;
  }
  try {
    const count = await upgradeDataDir(dataDir, stores, logger);
    const complete = await markUpgraded(dataDir, count);
    const m = t();
    if (opts.json) process.stdout.write(`${JSON.stringify(count, null, 2)}\n`);
    else {
      const lines = [
        m.dataStores(stores.records.describe(), stores.blobs.describe()),
        ...(Object.keys(count) as (keyof typeof count)[]).map((part) =>
          m.dataPart(m.dataParts[part], count[part].copied, count[part].present, count[part].refused),
        ),
        complete ? m.dataDone(dataDir) : m.dataRefused,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    return complete ? EXIT.ok : EXIT.refused;
  } finally {
    await stores.close();
  }
}
