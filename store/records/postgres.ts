/**
 * PostgreSQL for production: plazos's own database, on the server the compose file runs for
 * Temporal, with its own user. `pg`'s pool; BIGINT (our millisecond times) read back as numbers,
 * which they fit: Number.MAX_SAFE_INTEGER milliseconds is the year 287,396.
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { RecordsSchema } from './schema';

const INT8 = 20;

export interface PostgresOptions {
  connectionString: string;
  /** Read from PLAZOS_DATABASE_PASSWORD_FILE; never part of the URL in a log line. */
  password?: string;
  max?: number;
}

/** pg's own parsers, but BIGINT as a number rather than a string. */
const typeParser = ((oid: number, format?: 'text' | 'binary') =>
  oid === INT8
    ? (value: string) => Number(value)
    : (pg.types.getTypeParser as (oid: number, format?: string) => unknown)(oid, format)) as typeof pg.types.getTypeParser;

export function openPostgres(opts: PostgresOptions): Kysely<RecordsSchema> {
  // pg lets the URL's (absent) password override a `password` option, so the file's goes into the URL.
  const url = new URL(opts.connectionString);
  if (opts.password !== undefined) url.password = encodeURIComponent(opts.password);
  const pool = new pg.Pool({
    connectionString: url.toString(),
    max: opts.max ?? 10,
    connectionTimeoutMillis: 10_000,
    // A statement that hangs (a lock held by a crashed peer) fails instead of holding a request.
    statement_timeout: 30_000,
    types: { getTypeParser: typeParser },
  });
  // A client whose server went away (a restart: 57P01) emits 'error'. The pool listens on idle
  // clients only; on one checked out between two statements nothing would, and the process would
  // end, taking the notices it had sent but not yet recorded with it. The statement in flight fails
  // on its own, and the pool replaces the client.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  return new Kysely<RecordsSchema>({ dialect: new PostgresDialect({ pool }) });
}
