/**
 * A calendar event's version also follows its alarms.
 *
 * `alarms`: the reminder instants last published. A calendar change (`plazos calendar apply`) moves
 * the reminders and not the due date, and a subscribed calendar only takes the new alarms under a
 * higher SEQUENCE. Null on the rows from before: their current alarms are taken as they are, without
 * a new version, since what was published then is not known.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('calendar_event_versions').addColumn('alarms', 'text').execute();
}
