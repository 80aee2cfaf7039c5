/**
 * SQLite through Node's own `node:sqlite` (no native module to build or allow at install), shaped
 * as the better-sqlite3 subset Kysely's SqliteDialect drives.
 *
 * One file in the data directory, shared by the worker, the mailbox reader and the web app of one
 * machine: WAL lets them read while one writes, and synchronous=FULL makes a commit survive a power
 * cut, which the sent-ledger's promise ("recorded, so never sent again") needs.
 */
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Kysely, SqliteAdapter, SqliteDialect, type DialectAdapter, type SqliteDatabase, type SqliteStatement } from 'kysely';
import type { RecordsSchema } from './schema';

/** How long a writer waits for another process's write to finish before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5_000;

type Param = null | number | bigint | string | NodeJS.ArrayBufferView;

class NodeSqlite implements SqliteDatabase {
  constructor(private readonly db: DatabaseSync) {}
  close(): void {
    if (this.db.isOpen) this.db.close();
  }
  prepare(sql: string): SqliteStatement {
    // A deferred transaction that reads and then writes fails at once with SQLITE_BUSY when another
    // process wrote in between; IMMEDIATE takes the write lock up front and waits busy_timeout for it.
    const stmt = this.db.prepare(sql.trim().toLowerCase() === 'begin' ? 'begin immediate' : sql);
    const reader = stmt.columns().length > 0;
    const args = (parameters: ReadonlyArray<unknown>) => parameters as Param[];
    return {
      reader,
      all: (parameters) => stmt.all(...args(parameters)),
      run: (parameters) => stmt.run(...args(parameters)),
      iterate: (parameters) => stmt.iterate(...args(parameters)),
    };
  }
}

/**
 * Kysely's SQLite adapter says SQLite has no transactional DDL, so its migrator would run each
 * migration bare: two processes starting on a new file would both create the tables, and a failed
 * migration would leave half a schema. SQLite does roll DDL back; with every transaction IMMEDIATE
 * (above), the migrator's transaction is also the lock between processes.
 */
class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class PlazosSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new TransactionalSqliteAdapter();
  }
}

/**
 * WAL is a property of the file, set once by whichever process creates it. Changing the journal
 * mode needs every other connection out of the way and does not wait on the busy handler, so two
 * processes opening a new file together may see SQLITE_BUSY here: wait a little and ask again.
 */
function toWal(db: DatabaseSync): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let attempt = 0; ; attempt++) {
    try {
      db.exec('PRAGMA journal_mode = WAL;');
      return;
    } catch (error) {
      if (attempt >= 100 || !/locked|busy/i.test((error as Error).message)) throw error;
      Atomics.wait(pause, 0, 0, 50);
    }
  }
}

export function openSqlite(file: string): Kysely<RecordsSchema> {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  // Sessions and the ledger are no one else's business: the file is the owner's alone, and SQLite
  // gives its -wal and -shm files the same permissions.
  closeSync(openSync(file, 'a', 0o600));
  const db = new DatabaseSync(file, { timeout: BUSY_TIMEOUT_MS });
  toWal(db);
  db.exec('PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;');
  return new Kysely<RecordsSchema>({ dialect: new PlazosSqliteDialect({ database: new NodeSqlite(db) }) });
}
