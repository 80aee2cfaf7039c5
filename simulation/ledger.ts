/**
 * The Message-IDs in a data directory's sent-ledger (or a PostgreSQL one), read straight from the
 * table as an operator would: how the fault tests and the soak run tell what a killed worker had
 * recorded from what the SMTP server had accepted.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { SQLITE_FILE, type RecordsSettings } from '../store/records';
import { openPostgres } from '../store/records/postgres';
import type { RecordsSchema } from '../store/records/schema';
import { openSqlite } from '../store/records/sqlite';

export async function sentMessageIds(settings: RecordsSettings): Promise<Set<string>> {
  const db: Kysely<RecordsSchema> = settings.url
    ? openPostgres({
        connectionString: settings.url,
        ...(settings.passwordFile ? { password: readFileSync(settings.passwordFile, 'utf8').trim() } : {}),
        max: 1,
      })
    : openSqlite(join(settings.dataDir, SQLITE_FILE));
  try {
    const rows = await db.selectFrom('sent_ledger').select('message_id').execute();
    return new Set(rows.map((r) => r.message_id));
  } catch (error) {
    // No worker has opened the store yet: nothing is recorded.
    if (/no such table|does not exist/.test((error as Error).message)) return new Set();
    throw error;
  } finally {
    await db.destroy();
  }
}
