/**
 * CPU time of the processes a benchmark runs (worker, dev server, this process with its SMTP
 * capture, and PostgreSQL when plazos's records are there), read from /proc, so a figure can say
 * where the time per message went. Linux only: elsewhere the readings are null and the notes leave
 * the split out.
 */
import { readFileSync } from 'node:fs';

/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s everywhere Node runs on Linux. */
const TICKS_PER_SECOND = 100;

/** The fields of /proc/<pid>/stat after the command name, or null. */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** Sum of the given fields (0-based after the command name), in ms; null when one does not parse. */
function ticksMs(fields: string[] | null, at: number[]): number | null {
  if (!fields) return null;
  const values = at.map((i) => Number(fields[i]));
  return values.every(Number.isFinite) ? (values.reduce((a, b) => a + b, 0) * 1000) / TICKS_PER_SECOND : null;
}

/** User + system CPU of a process so far, in ms; null when /proc cannot tell. */
export function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  return ticksMs(statFields(pid), [11, 12]);
}

/**
 * CPU of a server that works in child processes (PostgreSQL: one backend per connection, plus its
 * writers), in ms: the parent's own, its children's that have ended (cutime, cstime), and its live
 * children's. A child that ends between two readings moves from one sum to the other, not lost.
 */
export function processTreeCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  const own = ticksMs(statFields(pid), [11, 12, 13, 14]);
  if (own === null) return null;
  let children: number[];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return null;
  }
  return children.reduce((sum, child) => sum + (ticksMs(statFields(child), [11, 12]) ?? 0), own);
}

export interface CpuSplit {
  worker: number | null;
  server: number | null;
  /** This process: the SMTP capture parsing every message, and the benchmark's own polling. */
  bench: number;
  /** PostgreSQL holding plazos's records, all its processes; absent when the records are in SQLite (inside the worker). */
  database?: number | null;
}

/** `databasePid`: the postmaster of plazos's PostgreSQL, when the records are there. */
export function cpuNow(workerPid: number | undefined, serverPid: number | undefined, databasePid?: number): CpuSplit {
  const own = process.cpuUsage();
  return {
    worker: processCpuMs(workerPid),
    server: processCpuMs(serverPid),
    bench: (own.user + own.system) / 1000,
    ...(databasePid !== undefined ? { database: processTreeCpuMs(databasePid) } : {}),
  };
}

/** CPU ms per message between two readings. */
export function cpuPerMessage(before: CpuSplit, after: CpuSplit, messages: number): CpuSplit {
  const per = (a: number | null | undefined, b: number | null | undefined) => (a == null || b == null ? null : (b - a) / messages);
  return {
    worker: per(before.worker, after.worker),
    server: per(before.server, after.server),
    bench: (after.bench - before.bench) / messages,
    ...('database' in after ? { database: per(before.database, after.database) } : {}),
  };
}

/** The split's total, or null when a part is unknown. */
export function cpuTotal(split: CpuSplit): number | null {
  const parts = [split.worker, split.server, split.bench, ...('database' in split ? [split.database] : [])];
  return parts.every((p): p is number => typeof p === 'number') ? parts.reduce((a, b) => a + b, 0) : null;
}

export function formatCpuSplit(split: CpuSplit): string {
  const ms = (v: number | null | undefined) => (v == null ? 'n/d' : `${v.toFixed(1)} ms`);
  const database = 'database' in split ? `, PostgreSQL ${ms(split.database)}` : '';
  return `worker ${ms(split.worker)}, servidor ${ms(split.server)}${database}, captura SMTP y banco ${ms(split.bench)}`;
}
