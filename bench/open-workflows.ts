/**
 * Benchmark 2: many activity workflows asleep until their next notice. The worker runs in a child
 * process with its cache capped, so its RSS is its own; each side gets a fresh dev server, so the
 * SQLite size is that of its workflows alone. Baseline: the same count of trivial workflows that
 * only sleep, on a worker with the same cache.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { Client } from '@temporalio/client';
import { startPlan } from '../client/start-plan';
import { generatePlan, type Seed } from './plans';
import type { Figure } from './report';
import { backlog, startBenchServer, type BenchServer } from './servers';
import { pairedRatio, summarize } from './stats';
import { spawnWorker, type WorkerProcess } from './worker-process';
import { PLAN_TIMEZONE } from '../calendar/policy';

const MB = 1024 * 1024;
const TASK_QUEUE = 'bench-open';

export interface OpenResult {
  idleRss: number;
  peakRss: number;
  /** The moment the last workflow went to sleep: garbage of the start-up still resident. */
  settledRss: number;
  /** After the workflows have slept a while: what a worker holds for them day after day. */
  rss: number;
  sqlite: number;
  seconds: number;
}

/** Plan time at the worker's start: before every date in the seed (the earliest is 2022-02-01), so every workflow sleeps. */
function sleepingOffset(): number {
  return DateTime.fromISO('2022-01-03T00:00', { zone: PLAN_TIMEZONE }).toMillis() - Date.now();
}

async function startTrivial(client: Client, count: number): Promise<void> {
  let next = 0;
  const one = async () => {
    for (let i = next++; i < count; i = next++) {
      await client.workflow.start('benchSleep', { taskQueue: TASK_QUEUE, workflowId: `bench-sleep-${i + 1}`, args: [30] });
    }
  };
  await Promise.all(Array.from({ length: 16 }, one));
}

/** Settled: nothing waits on the task queue and the worker has nothing in flight, three polls in a row. */
async function settle(server: BenchServer, worker: WorkerProcess, timeoutMs: number): Promise<number> {
  let peak = 0;
  let quiet = 0;
  const deadline = Date.now() + timeoutMs;
  while (quiet < 3) {
    if (Date.now() > deadline) throw new Error(`workflows did not settle in ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
    const [status, waiting] = await Promise.all([worker.status(), backlog(server, TASK_QUEUE)]);
    peak = Math.max(peak, status.rss);
    quiet = waiting === 0 && status.inFlightActivations === 0 && status.inFlightActivities === 0 ? quiet + 1 : 0;
  }
  return peak;
}

/**
 * RSS after `seconds` of sleep. Right after the start-up the workflow threads' V8 heaps still hold
 * its garbage; they give it back once idle (3,000 workflows: 424 MB at settling, 301 MB 30 s later),
 * so the figure a worker lives with is read after a pause, the same for both sides.
 */
async function asleepRss(worker: WorkerProcess, seconds: number): Promise<number> {
  await new Promise((r) => setTimeout(r, seconds * 1000));
  return (await worker.status()).rss;
}

async function openOnce(mode: 'plazos' | 'trivial', seed: Seed, count: number, cache: number, asleepSeconds: number): Promise<OpenResult> {
  const server = await startBenchServer();
  const dataDir = mkdtempSync(join(tmpdir(), 'plazos-bench-data-'));
  const worker = await spawnWorker({ mode, address: server.address, taskQueue: TASK_QUEUE, dataDir, maxCachedWorkflows: cache });
  try {
    const idleRss = (await worker.status()).rss;
    const t0 = performance.now();
    if (mode === 'plazos') {
      const plan = generatePlan(seed.plan, count, { id: 'bench-abiertos' });
      await startPlan(server.client, plan, seed.calendar, { taskQueue: TASK_QUEUE, searchAttributes: true, clockOffsetMs: sleepingOffset() });
    } else {
      await startTrivial(server.client, count);
    }
    const peakRss = await settle(server, worker, 10 * 60_000);
    const seconds = (performance.now() - t0) / 1000;
    const settledRss = (await worker.status()).rss;
    const rss = await asleepRss(worker, asleepSeconds);
    return { idleRss, peakRss, settledRss, rss, sqlite: server.sqliteBytes(), seconds };
  } finally {
    await worker.stop();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function benchOpenWorkflows(
  seed: Seed,
  count: number,
  cache: number,
  runs: number,
  asleepSeconds: number,
  log: (m: string) => void,
): Promise<Figure[]> {
  const plazos: OpenResult[] = [];
  const trivial: OpenResult[] = [];
  for (let run = 0; run < runs; run++) {
    plazos.push(await openOnce('plazos', seed, count, cache, asleepSeconds));
    trivial.push(await openOnce('trivial', seed, count, cache, asleepSeconds));
    const [p, t] = [plazos[run] as OpenResult, trivial[run] as OpenResult];
    log(
      `abiertos/${count} corrida ${run + 1}: RSS plazos ${(p.rss / MB).toFixed(0)} MB (pico ${(p.peakRss / MB).toFixed(0)}), base ${(t.rss / MB).toFixed(0)} MB; SQLite ${(p.sqlite / MB).toFixed(1)} / ${(t.sqlite / MB).toFixed(1)} MB`,
    );
  }
  const mb = (rs: OpenResult[], k: keyof OpenResult) => rs.map((r) => r[k] / MB);
  const median = (xs: number[]) => summarize(xs).median;
  return [
    {
      id: `abiertos/${count}/rss`,
      label: `RSS del worker con ${count} flujos dormidos ${asleepSeconds} s (caché ${cache})`,
      unit: 'MB',
      measured: summarize(mb(plazos, 'rss')),
      baseline: summarize(mb(trivial, 'rss')),
      baselineLabel: `${count} flujos triviales dormidos`,
      ratio: pairedRatio(mb(plazos, 'rss'), mb(trivial, 'rss')),
      limit: { op: '<=', value: 400, unit: 'MB' },
      notes: [
        `RSS en reposo antes de iniciar: ${median(mb(plazos, 'idleRss')).toFixed(0)} MB (plazos), ${median(mb(trivial, 'idleRss')).toFixed(0)} MB (base); pico: ${median(mb(plazos, 'peakRss')).toFixed(0)} / ${median(mb(trivial, 'peakRss')).toFixed(0)} MB.`,
        `RSS al dormirse el último flujo: ${median(mb(plazos, 'settledRss')).toFixed(0)} MB (plazos), ${median(mb(trivial, 'settledRss')).toFixed(0)} MB (base); la cifra es ${asleepSeconds} s después.`,
        `Hasta quedar todos dormidos: ${median(plazos.map((r) => r.seconds)).toFixed(1)} s (plazos), ${median(trivial.map((r) => r.seconds)).toFixed(1)} s (base).`,
      ],
    },
    {
      id: `abiertos/${count}/sqlite`,
      label: `SQLite del servidor de desarrollo con ${count} flujos abiertos`,
      unit: 'MB',
      measured: summarize(mb(plazos, 'sqlite')),
      baseline: summarize(mb(trivial, 'sqlite')),
      baselineLabel: `${count} flujos triviales dormidos`,
      ratio: pairedRatio(mb(plazos, 'sqlite'), mb(trivial, 'sqlite')),
      notes: [`${(median(plazos.map((r) => r.sqlite)) / count / 1024).toFixed(1)} KiB por flujo de plazos (base de datos + WAL).`],
    },
  ];
}
