/**
 * Benchmark 1: `startPlan` of plans of 19, 1,000 and 10,000 activities against a bare loop of
 * `client.workflow.start` of a trivial workflow, the same count with the same concurrency, on the
 * same dev server. No worker polls: this measures what starting costs the client and the server.
 */
import type { Client } from '@temporalio/client';
import { startPlan } from '../client/start-plan';
import { generatePlan, type Seed } from './plans';
import type { Figure } from './report';
import { startBenchServer } from './servers';
import { pairedRatio, summarize } from './stats';

const CONCURRENCY = 16;

async function bareLoop(client: Client, count: number, prefix: string): Promise<void> {
  let next = 0;
  const one = async () => {
    for (let i = next++; i < count; i = next++) {
      await client.workflow.start('benchNoop', { taskQueue: 'bench-baseline', workflowId: `${prefix}-${i + 1}`, args: [] });
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, count) }, one));
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}

export async function benchPlanStart(seed: Seed, sizes: { size: number; runs: number }[], log: (m: string) => void): Promise<Figure[]> {
  const server = await startBenchServer();
  const figures: Figure[] = [];
  try {
    for (const { size, runs } of sizes) {
      const measured: number[] = [];
      const baseline: number[] = [];
      for (let run = 0; run < runs; run++) {
        const plan = generatePlan(seed.plan, size, { id: `bench-inicio-${size}-${run}` });
        const plazos = () =>
          timed(() =>
            startPlan(server.client, plan, seed.calendar, { taskQueue: 'plazos-bench', searchAttributes: true, kickoffNow: true, concurrency: CONCURRENCY }),
          );
        const bare = () => timed(() => bareLoop(server.client, size, `bench-noop-${size}-${run}`));
        // Alternate which goes first, so a server that slows as its database grows burdens both alike.
        if (run % 2 === 0) {
          measured.push(await plazos());
          baseline.push(await bare());
        } else {
          baseline.push(await bare());
          measured.push(await plazos());
        }
        log(`inicio-plan/${size} corrida ${run + 1}: plazos ${measured[run]?.toFixed(2)} s, base ${baseline[run]?.toFixed(2)} s`);
      }
      figures.push({
        id: `inicio-plan/${size}`,
        label: `startPlan, ${size} actividades`,
        unit: 's',
        measured: summarize(measured),
        baseline: summarize(baseline),
        baselineLabel: `workflow.start trivial ×${size}`,
        ratio: pairedRatio(measured, baseline),
        target: { op: '<=', value: 1.3 },
        notes: [`${(size / (measured.reduce((a, b) => a + b, 0) / runs)).toFixed(0)} inicios/s con plazos (concurrencia ${CONCURRENCY}).`],
      });
    }
  } finally {
    await server.stop();
  }
  return figures;
}
