/** The records that were files in the data directory: the sent-ledger, the reply registry, the mailbox's processed-ledger, the kept cut reports. */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sent_ledger')
    .addColumn('idempotency_key', 'text', (c) => c.primaryKey())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('accepted', 'text', (c) => c.notNull())
    .addColumn('rejected', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('reply_targets')
    .addColumn('notice_id', 'text', (c) => c.primaryKey())
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('mailbox_processed')
    .addColumn('message_key', 'text', (c) => c.primaryKey())
    .addColumn('folder', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('cut_files')
    .addColumn('plan_id', 'text', (c) => c.notNull())
    .addColumn('cut', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('kept_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('cut_files_pk', ['plan_id', 'cut', 'name'])
    .execute();
}
