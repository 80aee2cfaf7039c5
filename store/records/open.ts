/**
 * Opens plazos's records as configured and brings the schema up to date before anything reads it.
 *
 *   PLAZOS_DATABASE_URL unset          SQLite, `<dataDir>/plazos.sqlite` (the embedded default)
 *   PLAZOS_DATABASE_URL=postgres://…   PostgreSQL; the password from PLAZOS_DATABASE_PASSWORD_FILE
 *
 * A store that cannot be reached, or a schema newer than this version knows, is one Spanish line
 * naming the setting (StoreUnavailableError), never a stack trace.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Migrator, type Kysely, type Migration } from 'kysely';
import { ConfigError } from '../../config/schema';
import { MIGRATIONS, provider } from './migrations';
import { openPostgres } from './postgres';
import { recordsOver, type Records } from './records';
import type { RecordsSchema } from './schema';
import { openSqlite } from './sqlite';

export const SQLITE_FILE = 'plazos.sqlite';

export interface RecordsSettings {
  /** PLAZOS_DATABASE_URL. */
  url?: string | undefined;
  /** PLAZOS_DATABASE_PASSWORD_FILE. */
  passwordFile?: string | undefined;
  dataDir: string;
}

export class StoreUnavailableError extends ConfigError {
  constructor(message: string) {
    super(message);
    this.name = 'StoreUnavailableError';
  }
}

/** The URL as it may be shown: no password, no query string. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    u.search = '';
    return u.toString();
  } catch {
    return '(URL ilegible)';
  }
}

function reason(error: unknown): string {
  const e = error as { code?: string; message?: string; errors?: { code?: string }[] };
  const code = e.code ?? e.errors?.[0]?.code;
  const text = (e.message ?? String(error)).split('\n')[0]!.slice(0, 200);
  return code && !text.includes(code) ? `${code}: ${text}` : text;
}

function readPassword(file: string): string {
  try {
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    throw new StoreUnavailableError(`PLAZOS_DATABASE_PASSWORD_FILE: no se puede leer ${file} (${reason(error)}).`);
  }
}

/** Applies the pending migrations; throws with every migration's outcome on failure. */
export async function migrate(db: Kysely<RecordsSchema>, migrations: Readonly<Record<string, Migration>> = MIGRATIONS, target?: string): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: provider(migrations),
    migrationTableName: 'plazos_migrations',
    migrationLockTableName: 'plazos_migrations_lock',
  });
  const { error, results } = target ? await migrator.migrateTo(target) : await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw Object.assign(new Error(`${failed ? `la migración ${failed} falló: ` : ''}${reason(error)}`), { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * Migrations of one SQLite file from one process, one at a time. Between processes the IMMEDIATE
 * transaction is the lock, but node:sqlite waits for it synchronously: a second connection of the
 * same process would block the event loop the first needs to finish.
 */
const sqliteMigrations = new Map<string, Promise<unknown>>();

function oneAtATime<T>(file: string, task: () => Promise<T>): Promise<T> {
  const previous = sqliteMigrations.get(file) ?? Promise.resolve();
  const run = previous.then(task, task);
  const settled = run.catch(() => undefined);
  sqliteMigrations.set(file, settled);
  void settled.then(() => {
    if (sqliteMigrations.get(file) === settled) sqliteMigrations.delete(file);
  });
  return run;
}

export interface OpenOptions {
  /** Migrations to apply instead of the released ones (tests of a failing or partial upgrade). */
  migrations?: Readonly<Record<string, Migration>>;
  now?: () => number;
}

export async function openRecords(settings: RecordsSettings, options: OpenOptions = {}): Promise<Records> {
  const url = settings.url;
  let db: Kysely<RecordsSchema>;
  let description: string;
  let setting: string;
  let sqliteFile: string | null = null;
  if (!url || url.startsWith('sqlite:')) {
    const file = url ? url.slice('sqlite:'.length).replace(/^\/\//, '') : join(settings.dataDir, SQLITE_FILE);
    description = `SQLite ${file}`;
    sqliteFile = resolve(file);
    setting = url ? 'PLAZOS_DATABASE_URL' : 'PLAZOS_DATA_DIR';
    try {
      db = openSqlite(file);
    } catch (error) {
      throw new StoreUnavailableError(`${setting}: no se puede abrir la base de datos ${file} (${reason(error)}).`);
    }
  } else if (/^postgres(ql)?:\/\//.test(url)) {
    description = `PostgreSQL ${redactUrl(url)}`;
    setting = 'PLAZOS_DATABASE_URL';
    const password = settings.passwordFile ? readPassword(settings.passwordFile) : undefined;
    db = openPostgres({ connectionString: url, ...(password !== undefined ? { password } : {}) });
  } else {
    throw new StoreUnavailableError(
      'PLAZOS_DATABASE_URL debe empezar por postgres:// (o sqlite: para un archivo); sin ella, plazos usa SQLite en el directorio de datos.',
    );
  }
  try {
    await (sqliteFile ? oneAtATime(sqliteFile, () => migrate(db, options.migrations)) : migrate(db, options.migrations));
  } catch (error) {
    await db.destroy().catch(() => undefined);
    throw new StoreUnavailableError(`${setting}: la base de datos de plazos (${description}) no está disponible: ${reason(error)}.`);
  }
  return recordsOver(db, url && !url.startsWith('sqlite:') ? 'postgres' : 'sqlite', description, options.now);
}
