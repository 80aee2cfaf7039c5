/**
 * CPU time of the processes a benchmark runs (worker, dev server, this process with its SMTP
 * capture), read from /proc, so a figure can say where the time per message went. Linux only:
 * elsewhere the readings are null and the notes leave the split out.
 */
import { readFileSync } from 'node:fs';

/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s everywhere Node runs on Linux. */
const TICKS_PER_SECOND = 100;

/** User + system CPU of a process so far, in ms; null when /proc cannot tell. */
export function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return Number.isFinite(utime) && Number.isFinite(stime) ? ((utime + stime) * 1000) / TICKS_PER_SECOND : null;
  } catch {
    return null;
  }
}

export interface CpuSplit {
  worker: number | null;
  server: number | null;
  /** This process: the SMTP capture parsing every message, and the benchmark's own polling. */
  bench: number;
}

export function cpuNow(workerPid: number | undefined, serverPid: number | undefined): CpuSplit {
  const own = process.cpuUsage();
  return { worker: processCpuMs(workerPid), server: processCpuMs(serverPid), bench: (own.user + own.system) / 1000 };
}

/** CPU ms per message between two readings. */
export function cpuPerMessage(before: CpuSplit, after: CpuSplit, messages: number): CpuSplit {
  const per = (a: number | null, b: number | null) => (a === null || b === null ? null : (b - a) / messages);
  return { worker: per(before.worker, after.worker), server: per(before.server, after.server), bench: (after.bench - before.bench) / messages };
}

export function formatCpuSplit(split: CpuSplit): string {
  const ms = (v: number | null) => (v === null ? 'n/d' : `${v.toFixed(1)} ms`);
  return `worker ${ms(split.worker)}, servidor ${ms(split.server)}, captura SMTP y banco ${ms(split.bench)}`;
}
