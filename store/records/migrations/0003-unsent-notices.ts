/**
 * The notices a worker tried to send and could not yet: the mail server down, a login refused, a
 * reply deferred. Temporal retries them for days without the workflow knowing why; this table is
 * where status, the pages, the digest and /health read that mail is not leaving, and since when.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('unsent_notices')
    .addColumn('idempotency_key', 'text', (c) => c.primaryKey())
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('plan_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('fix', 'text', (c) => c.notNull())
    .addColumn('first_failed_at', 'bigint', (c) => c.notNull())
    .addColumn('last_failed_at', 'bigint', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    // Set when the notice finally went out: the digest tells OAPLA which notices left late.
    .addColumn('sent_at', 'bigint')
    .execute();
  await db.schema.createIndex('unsent_notices_plan').on('unsent_notices').columns(['plan_id', 'first_failed_at']).execute();
  await db.schema.createIndex('unsent_notices_last_failed_at').on('unsent_notices').column('last_failed_at').execute();
}
