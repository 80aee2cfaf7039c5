/**
 * A session says what its holder may see and do: people who sign in with the entity's account
 * (OpenID Connect) come as OAPLA, Control Interno or an area's lead, not only as OAPLA. The roles
 * are JSON text; a row from before this migration has none, and was an OAPLA user of the users
 * file. The id token is kept so signing out can end the session at the provider too (its
 * id_token_hint).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // One column per statement: SQLite's ALTER TABLE adds one at a time.
  await db.schema.alterTable('sessions').addColumn('roles', 'text').execute();
  await db.schema.alterTable('sessions').addColumn('id_token', 'text').execute();
}
