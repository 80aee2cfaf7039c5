/**
 * When a feed last listed each calendar event, so that the rows of deliverables no feed lists any
 * more (workflows closed, plans of past years) can be removed: without it the table keeps one row per
 * deliverable ever published, for good. Rows from before start from their modified_at, the last time
 * they are known to have been published.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('calendar_event_versions').addColumn('seen_at', 'bigint').execute();
  await sql`UPDATE calendar_event_versions SET seen_at = modified_at`.execute(db);
  // The sweep looks rows up by it.
  await db.schema.createIndex('calendar_event_versions_seen_at').on('calendar_event_versions').column('seen_at').execute();
}
