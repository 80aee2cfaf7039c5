/**
 * A fresh Temporal dev server per benchmark, on its own SQLite file in a temporary folder, so one
 * benchmark's workflows never slow the next and the file's size can be read.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { freePort } from '../simulation/ports';
import { startDevServer, type DevServer } from '../workers/dev-server';

/**
 * Where the dev servers keep SQLite: tmpfs when the machine has one. On this project's machines a
 * disk fsync costs ~15 ms and caps the dev server near 70 starts/s whatever the client does, and
 * other jobs' disk traffic would add noise; the ratios are about plazos against Temporal, not the
 * disk. PLAZOS_BENCH_DB_DIR chooses another folder (e.g. a disk, to see what the disk costs).
 */
export const DB_DIR = process.env.PLAZOS_BENCH_DB_DIR || (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());

export interface BenchServer {
  address: string;
  client: Client;
  connection: Connection;
  dir: string;
  /** The dev server's process id while it runs (to read its CPU time, bench/cpu.ts). */
  pid(): number | undefined;
  /** Bytes of the SQLite database with its write-ahead log. */
  sqliteBytes(): number;
  /** SIGTERM, as an operator stopping the service; resolves once the process has exited. The file and the client stay. */
  halt(): Promise<void>;
  /** Starts the server again on the same port and SQLite file (after halt); resolves once the namespace answers. */
  resume(): Promise<void>;
  stop(): Promise<void>;
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

export async function startBenchServer(): Promise<BenchServer> {
  const dir = mkdtempSync(join(DB_DIR, 'plazos-bench-'));
  const dbFile = join(dir, 'temporal.sqlite');
  // The same port on a restart, so the client's connection (and a worker's) finds the server again.
  const port = await freePort();
  const launch = () => startDevServer({ host: '127.0.0.1', port, dbFile });
  let server: DevServer | null = await launch();
  const address = server.address;
  const connection = await Connection.connect({ address });
  return {
    address,
    client: new Client({ connection }),
    connection,
    dir,
    pid: () => server?.process.pid,
    sqliteBytes: () => sizeOf(dbFile) + sizeOf(`${dbFile}-wal`) + sizeOf(`${dbFile}-shm`),
    async halt() {
      await server?.stop();
      server = null;
    },
    async resume() {
      if (server) throw new Error('the dev server is already running');
      server = await launch();
    },
    async stop() {
      await connection.close();
      await server?.stop();
      server = null;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Workflow tasks waiting on a task queue, as the server counts them (approximate by design). */
export async function backlog(server: Pick<BenchServer, 'client'>, taskQueue: string): Promise<number> {
  const res = await server.client.workflowService.describeTaskQueue({
    namespace: 'default',
    taskQueue: { name: taskQueue },
    taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
    reportStats: true,
  });
  return Number(res.stats?.approximateBacklogCount ?? 0);
}
