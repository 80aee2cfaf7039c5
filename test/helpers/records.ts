/**
 * plazos's records on each engine, for tests that run the same checks on both: SQLite in a temp
 * directory, and PostgreSQL on a server of the file's own (started once, a new database per
 * `fresh()`), signing in with a password read from a file as production does.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRecords, type OpenOptions, type RecordsSettings } from '../../store/records/open';
import type { Records } from '../../store/records';
import { startPostgres, type PostgresServer } from '../../simulation/postgres';

export interface EngineUnderTest {
  readonly name: 'sqlite' | 'postgres';
  /** Settings for a new, empty store. */
  fresh(): RecordsSettings;
  close(): void;
}

let databases = 0;

export function sqliteEngine(): Promise<EngineUnderTest> {
  const root = mkdtempSync(join(tmpdir(), 'plazos-records-'));
  return Promise.resolve({
    name: 'sqlite',
    fresh: () => ({ dataDir: mkdtempSync(join(root, 'data-')) }),
    close: () => rmSync(root, { recursive: true, force: true }),
  });
}

export async function postgresEngine(): Promise<EngineUnderTest & { server: PostgresServer }> {
  const server = await startPostgres({ auth: 'scram' });
  return {
    name: 'postgres',
    server,
    fresh() {
      const name = `plazos_${process.pid}_${++databases}`;
      const password = `clave-${name}`;
      server.createDatabase(name, password);
      const passwordFile = join(server.dir, `${name}.password`);
      writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
      return { url: server.url(name, name), passwordFile, dataDir: mkdtempSync(join(tmpdir(), 'plazos-records-pg-')) };
    },
    close: () => server.close(),
  };
}

export const ENGINES: readonly ['sqlite', 'postgres'] = ['sqlite', 'postgres'];

export function startEngine(name: 'sqlite' | 'postgres'): Promise<EngineUnderTest> {
  return name === 'sqlite' ? sqliteEngine() : postgresEngine();
}

/** Opens records on settings and closes every one opened when the test file ends. */
export function opener() {
  const open: Records[] = [];
  return {
    async open(settings: RecordsSettings, options?: OpenOptions): Promise<Records> {
      const records = await openRecords(settings, options);
      open.push(records);
      return records;
    },
    async closeAll() {
      await Promise.all(open.splice(0).map((r) => r.close().catch(() => undefined)));
    },
  };
}

const byDataDir = new Map<string, Records>();

/**
 * The records of a test's data directory (SQLite, as `npm start` keeps them), opened at first use
 * so that the test's synchronous set-up can hand them out; one per directory, shared like the
 * processes of one machine share the file.
 */
export function testRecords(dataDir: string): Records {
  const known = byDataDir.get(dataDir);
  if (known) return known;
  let opened: Promise<Records> | null = null;
  const get = () => (opened ??= openRecords({ dataDir }));
  const part = <K extends 'sent' | 'replies' | 'processed' | 'cuts' | 'sessions' | 'throttle' | 'tokens' | 'unsent' | 'calendarFeeds' | 'calendarEvents'>(
    name: K,
  ): Records[K] =>
    new Proxy({} as Records[K], {
      get:
        (_target, method: string) =>
        (...args: unknown[]) =>
          get().then((r) => (r[name] as unknown as Record<string, (...a: unknown[]) => unknown>)[method]!(...args)),
    });
  const records: Records = {
    engine: 'sqlite',
    sent: part('sent'),
    replies: part('replies'),
    processed: part('processed'),
    cuts: part('cuts'),
    sessions: part('sessions'),
    throttle: part('throttle'),
    tokens: part('tokens'),
    unsent: part('unsent'),
    calendarFeeds: part('calendarFeeds'),
    calendarEvents: part('calendarEvents'),
    describe: () => `SQLite ${dataDir}`,
    ping: () => get().then((r) => r.ping()),
    close: async () => {
      byDataDir.delete(dataDir);
      if (opened) await (await opened).close();
    },
  };
  byDataDir.set(dataDir, records);
  return records;
}
