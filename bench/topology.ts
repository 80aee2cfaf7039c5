/**
 * Benchmark: the 08:00 burst on the production topology (simulation/cluster.ts: PostgreSQL and the
 * Temporal server built from source, as docker-compose.yml runs them), served by one worker and by
 * two: what a second worker buys. The figure is messages per second from the instant to the last
 * one received, as in `rafaga` on the dev server; the ratio is two workers against one, run by run
 * in the same process on the same cluster.
 *
 * One cluster serves every round; each round has its own task queue, plan and sent-ledger, so a
 * round starts with nothing cached and nothing owed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { PLAN_TIMEZONE } from '../calendar/policy';
import { startPlan } from '../client/start-plan';
import type { Client } from '@temporalio/client';
import { startCluster } from '../simulation/cluster';
import { startMailCapture } from '../simulation/mail-capture';
import { generatePlan, type Seed } from './plans';
import { untilAsleep, waitForBurst, workerFacts } from './burst';
import { startBenchServer } from './servers';
import type { Figure } from './report';
import { pairedRatio, summarize } from './stats';
import { spawnWorker } from './worker-process';

const KICKOFF = '2023-03-01T08:00';
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A Temporal server to run a round on: the cluster, or the dev server `rafaga` uses. */
interface Target {
  address: string;
  client: Client;
}

interface Round {
  workers: number;
  seconds: number;
  received: number;
}

async function round(cluster: Target, seed: Seed, count: number, workerCount: number, id: string): Promise<Round> {
  const mail = await startMailCapture();
  const dataDir = mkdtempSync(join(tmpdir(), 'plazos-bench-topology-'));
  const taskQueue = `bench-topologia-${id}`;
  // As in production: each worker with the default cache, all sharing one sent-ledger (the plazos-data volume).
  const workers = await Promise.all(
    Array.from({ length: workerCount }, () =>
      spawnWorker({ mode: 'plazos', address: cluster.address, taskQueue, dataDir, smtpUrl: mail.url, maxCachedWorkflows: 100 }),
    ),
  );
  try {
    const plan = generatePlan(seed.plan, count, { id: `bench-topologia-${id}`, dates: { start: '2023-03-01', due: '2023-06-30' }, recurrence: false });
    // The starts and first tasks go through PostgreSQL: give them more lead time than on the dev server.
    const setupStart = Date.now();
    const fireAt = setupStart + 30_000 + count * 120;
    const clockOffsetMs = DateTime.fromISO(KICKOFF, { zone: PLAN_TIMEZONE }).toMillis() - fireAt;
    await startPlan(cluster.client, plan, seed.calendar, { taskQueue, searchAttributes: true, clockOffsetMs });
    const target = { client: cluster.client, taskQueue };
    await untilAsleep(target, workers, fireAt, 'topologia', 'la espera antes del instante en bench/topology.ts');
    await waitForBurst(`topologia/${count} (${workerCount} worker(s))`, mail, count, fireAt, Date.now() - setupStart, () => workerFacts(target, workers));
    await pause(2000); // a duplicate would arrive within this; exactly `count` must be there
    const last = Math.max(...mail.messages.map((m) => m.receivedAt));
    return { workers: workerCount, seconds: (last - fireAt) / 1000, received: mail.messages.length };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await mail.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function benchTopology(seed: Seed, count: number, runs: number, log: (m: string) => void): Promise<Figure[]> {
  const cluster = await startCluster();
  const one: Round[] = [];
  const two: Round[] = [];
  const dev: Round[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      // Alternating which goes first keeps a cache warmed or a disk filled by one round from favouring the other.
      const order = run % 2 === 0 ? [1, 2] : [2, 1];
      for (const n of order) {
        const r = await round(cluster, seed, count, n, `${run + 1}-${n}`);
        (n === 1 ? one : two).push(r);
        log(`topologia/${count} corrida ${run + 1}, ${n} worker(s): ${r.seconds.toFixed(2)} s (${r.received} recibidos)`);
      }
      // The same burst on the dev server (SQLite), one worker, as `rafaga` runs it: what the topology costs.
      const server = await startBenchServer();
      try {
        const r = await round(server, seed, count, 1, `${run + 1}-dev`);
        dev.push(r);
        log(`topologia/${count} corrida ${run + 1}, servidor de desarrollo, 1 worker: ${r.seconds.toFixed(2)} s (${r.received} recibidos)`);
      } finally {
        await server.stop();
      }
    }
  } finally {
    await cluster.close();
  }
  const throughput = (rs: Round[]) => rs.map((r) => count / r.seconds);
  const all = [...one, ...two, ...dev];
  return [
    {
      id: `topologia/${count}`,
      label: `${count} avisos a las 08:00 en la topología de producción (PostgreSQL), dos workers frente a uno`,
      unit: 'msj/s',
      measured: summarize(throughput(two)),
      baseline: summarize(throughput(one)),
      baselineLabel: 'un worker, mismo clúster',
      ratio: pairedRatio(throughput(two), throughput(one)),
      counts: { expected: count, received: all.map((r) => r.received) },
      notes: [
        `Recibidos por ronda: ${all.map((r) => r.received).join(', ')} (se esperan exactamente ${count}).`,
        `Segundos hasta el último: un worker ${summarize(one.map((r) => r.seconds)).median.toFixed(2)} s, dos ${summarize(two.map((r) => r.seconds)).median.toFixed(2)} s, servidor de desarrollo con un worker ${summarize(dev.map((r) => r.seconds)).median.toFixed(2)} s.`,
        'Servidor de Temporal compilado desde el código fuente (config/tools.json) sobre el PostgreSQL de Debian, en la misma máquina que los workers.',
      ],
    },
    {
      id: `topologia/${count}/un-worker`,
      label: `la misma ráfaga con un worker: PostgreSQL frente al servidor de desarrollo (SQLite)`,
      unit: 'msj/s',
      measured: summarize(throughput(one)),
      baseline: summarize(throughput(dev)),
      baselineLabel: 'servidor de desarrollo, un worker',
      ratio: pairedRatio(throughput(one), throughput(dev)),
      counts: { expected: count, received: [...one, ...dev].map((r) => r.received) },
      notes: ['El servidor de desarrollo guarda SQLite en tmpfs (bench/servers.ts); el clúster, PostgreSQL en disco.'],
    },
  ];
}
