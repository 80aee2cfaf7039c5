/**
 * Benchmark 4: a whole year of a plan on the time-skipping server (`plazos plan simulate` without
 * submissions, so every activity takes the longest path: reminders, escalations, missed).
 * Baseline: the same simulation of a one-activity plan, i.e. the engine's fixed cost.
 */
import pino from 'pino';
import { simulatePlan } from '../simulation/simulate';
import type { Plan } from '../plans/model';
import { generatePlan, type Seed } from './plans';
import type { Figure } from './report';
import { pairedRatio, summarize } from './stats';

async function simulate(seed: Seed, plan: Plan): Promise<{ seconds: number; notices: number }> {
  const t0 = performance.now();
  const report = await simulatePlan({
    plan,
    areas: seed.areas,
    calendar: seed.calendar,
    submit: new Map(),
    reject: new Map(),
    logger: pino({ level: 'silent' }),
  });
  return { seconds: (performance.now() - t0) / 1000, notices: report.notifications.length };
}

export async function benchSimulation(seed: Seed, sizes: (number | 'seed')[], runs: number, log: (m: string) => void): Promise<Figure[]> {
  const figures: Figure[] = [];
  const single = generatePlan(seed.plan, 1, { id: 'bench-sim-1' });
  for (const size of sizes) {
    const plan = size === 'seed' ? seed.plan : generatePlan(seed.plan, size, { id: `bench-sim-${size}` });
    const measured: number[] = [];
    const baseline: number[] = [];
    let notices = 0;
    for (let run = 0; run < runs; run++) {
      baseline.push((await simulate(seed, single)).seconds);
      const result = await simulate(seed, plan);
      measured.push(result.seconds);
      notices = result.notices;
      log(`simulacion/${size} corrida ${run + 1}: ${result.seconds.toFixed(1)} s (${result.notices} avisos), base ${baseline[run]?.toFixed(1)} s`);
    }
    const count = plan.activities.length;
    figures.push({
      id: `simulacion/${size === 'seed' ? 'semilla' : size}`,
      label: `año simulado, ${size === 'seed' ? 'plan semilla' : 'plan generado'} de ${count} actividades`,
      unit: 's',
      measured: summarize(measured),
      baseline: summarize(baseline),
      baselineLabel: 'año simulado de 1 actividad',
      ratio: pairedRatio(measured, baseline),
      notes: [`${notices} avisos enviados y recibidos por SMTP en la simulación; sin entregas de evidencia (todas terminan incumplidas).`],
    });
  }
  return figures;
}
