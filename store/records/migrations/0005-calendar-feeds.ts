/**
 * Calendar subscriptions (web/calendar-feed.ts): the feeds OAPLA handed out, by the hash of their
 * token only, and the version of each deliverable's calendar event, so that a date that moves is
 * published with a higher SEQUENCE and a LAST-MODIFIED of when plazos first saw it move.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('calendar_feeds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // sha256 of the URL's token: a copy of the table subscribes no one.
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    // An area code, or `all` for OAPLA's feed of every plan.
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema
    .createTable('calendar_event_versions')
    .addColumn('uid', 'text', (c) => c.primaryKey())
    .addColumn('due', 'text', (c) => c.notNull())
    .addColumn('sequence', 'integer', (c) => c.notNull())
    .addColumn('modified_at', 'bigint', (c) => c.notNull())
    .execute();
}
