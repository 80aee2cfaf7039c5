/**
 * The embedded Temporal server: the Temporal CLI's dev server on a SQLite file in the data
 * directory, with plazos's search attributes registered and its web UI on. Used by `plazos up`
 * and by the tests that stop and restart the server on the same file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { Connection } from '@temporalio/client';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../config/private-files';
import { temporalCliPath } from '../config/tools';
import { SEARCH_ATTRIBUTES } from '../workflows/shared';

const TYPE_NAMES: Record<string, string> = {
  KEYWORD: 'Keyword',
  INT: 'Int',
  KEYWORD_LIST: 'KeywordList',
  DATETIME: 'Datetime',
  TEXT: 'Text',
  BOOL: 'Bool',
  DOUBLE: 'Double',
};

/** `--search-attribute PlazosPlan=Keyword ...` for `temporal server start-dev`. */
export function searchAttributeArgs(): string[] {
  return Object.values(SEARCH_ATTRIBUTES).flatMap((key) => ['--search-attribute', `${key.name}=${TYPE_NAMES[key.type] ?? key.type}`]);
}

export interface DevServerOptions {
  host: string;
  port: number;
  dbFile: string;
  uiPort?: number;
  namespace?: string;
  /** Where the server's own log goes; default: ignored. */
  stdio?: 'ignore' | 'inherit' | 'pipe';
}

export interface DevServer {
  address: string;
  uiUrl: string | null;
  process: ChildProcess;
  /** Search attributes this start registered on a database that lacked them. */
  addedSearchAttributes: string[];
  stop(): Promise<void>;
}

/** True when something accepts TCP connections on host:port. */
export function isListening(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** The port opens before the namespace is ready: wait until the namespace answers. */
async function waitForNamespace(address: string, namespace: string, deadline: number): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    for (;;) {
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  } finally {
    await connection.close();
  }
}

/** temporal.api.enums.v1.IndexedValueType, by the SDK's SearchAttributeType names. */
const INDEXED_VALUE_TYPES: Record<string, number> = { TEXT: 1, KEYWORD: 2, INT: 3, DOUBLE: 4, BOOL: 5, DATETIME: 6, KEYWORD_LIST: 7 };

/**
 * `--search-attribute` registers attributes only when the server creates its database: a
 * `.data/temporal.db` from an older plazos lacks the ones added since, and a workflow that upserts
 * an unregistered attribute fails its workflow task. So the missing ones are added on every start.
 */
async function ensureSearchAttributes(address: string, namespace: string): Promise<string[]> {
  const connection = await Connection.connect({ address });
  try {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    const missing = Object.values(SEARCH_ATTRIBUTES).filter((k) => !(k.name in (customAttributes ?? {})));
    if (missing.length > 0) {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(missing.map((k) => [k.name, INDEXED_VALUE_TYPES[k.type] ?? 0])),
      });
    }
    return missing.map((k) => k.name);
  } finally {
    await connection.close();
  }
}

/**
 * The history is everyone's names, notes and evidence links: the database is the owner's alone,
 * whatever umask the server ran under or an older version left. SQLite creates its -wal and -shm
 * files with the database's own mode, so later ones follow.
 */
function tightenDatabase(dbFile: string): void {
  for (const file of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) {
    if (existsSync(file)) chmodSync(file, PRIVATE_FILE_MODE);
  }
}

export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  makePrivateDir(dirname(opts.dbFile));
  const args = [
    'server',
    'start-dev',
    '--ip',
    opts.host,
    '--port',
    String(opts.port),
    '--db-filename',
    opts.dbFile,
    '--namespace',
    opts.namespace ?? 'default',
    '--log-level',
    'warn',
    ...(opts.uiPort ? ['--ui-port', String(opts.uiPort), '--ui-disable-news-fetch'] : ['--headless']),
    ...searchAttributeArgs(),
  ];
  const child = spawn(temporalCliPath(), args, { stdio: opts.stdio ?? 'ignore' });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`El servidor de Temporal terminó al arrancar (código ${child.exitCode}).`);
    if (await isListening(opts.host, opts.port)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`El servidor de Temporal no respondió en ${opts.host}:${opts.port} en 60 s.`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await waitForNamespace(`${opts.host}:${opts.port}`, opts.namespace ?? 'default', deadline);
  const added = await ensureSearchAttributes(`${opts.host}:${opts.port}`, opts.namespace ?? 'default');
  tightenDatabase(opts.dbFile);
  return {
    addedSearchAttributes: added,
    address: `${opts.host}:${opts.port}`,
    uiUrl: opts.uiPort ? `http://${opts.host}:${opts.uiPort}` : null,
    process: child,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
