/**
 * The schema's versions, in order. A migration is never edited once released: a change is a new
 * numbered file. Kysely applies the pending ones in one transaction under a lock (PostgreSQL's
 * advisory lock; SQLite's write lock, as every transaction here begins IMMEDIATE), so two processes
 * starting together apply each once and a failure leaves the previous version in place.
 */
import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001-records';
import * as m0002 from './0002-web';
import * as m0003 from './0003-unsent-notices';
import * as m0004 from './0004-session-roles';
import * as m0005 from './0005-calendar-feeds';
import * as m0006 from './0006-calendar-event-alarms';
import * as m0007 from './0007-calendar-event-seen';

export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-records': m0001,
  '0002-web': m0002,
  '0003-unsent-notices': m0003,
  '0004-session-roles': m0004,
  '0005-calendar-feeds': m0005,
  '0006-calendar-event-alarms': m0006,
  '0007-calendar-event-seen': m0007,
};

export function provider(migrations: Readonly<Record<string, Migration>> = MIGRATIONS): MigrationProvider {
  return { getMigrations: () => Promise.resolve({ ...migrations }) };
}
