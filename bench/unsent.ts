/**
 * Benchmark `sin-enviar`: what /health and every dashboard page add to read the notices that
 * cannot go out, when thousands of them are waiting (a whole plan's kickoffs during an outage).
 * The summary /health runs (count, oldest, latest reason) and a plan's bounded list, over `count`
 * unsent notices in five plans, against the same summary over an empty list, run by run in this
 * process, on SQLite (the embedded default) with its indexes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unsentSince } from '../activities/email/unsent';
import { UNSENT_LIST_MAX } from '../client/unsent';
import { openRecords, type Records } from '../store/records';
import type { Figure } from './report';
import { pairedRatio, summarize } from './stats';

async function timed(run: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await run();
  return (performance.now() - t0) / 1000;
}

async function fill(records: Records, count: number, now: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const planId = `plan-${i % 5}-2026`;
    await records.unsent.failed(
      {
        idempotencyKey: `${planId}/${i}/-/0/kickoff`,
        workflowId: `${planId}/${i}`,
        planId,
        kind: 'kickoff',
        code: 'connection-refused',
        reason: 'El servidor rechazó la conexión: nada escucha en ese puerto.',
        fix: 'Revise el servidor y el puerto en la URL.',
      },
      now - i * 1000,
    );
  }
}

export async function benchUnsent(count: number, runs: number, log: (m: string) => void): Promise<Figure[]> {
  const dirs = [mkdtempSync(join(tmpdir(), 'bench-sin-enviar-')), mkdtempSync(join(tmpdir(), 'bench-sin-enviar-vacio-'))];
  const [full, empty] = await Promise.all(dirs.map((dataDir) => openRecords({ dataDir })));
  try {
    const now = Date.now();
    await fill(full!, count, now);
    const since = unsentSince(now);
    const summary = (r: Records) => r.unsent.summary({ sinceMs: since });
    const page = (r: Records) => r.unsent.list({ sinceMs: since, planId: 'plan-1-2026', limit: UNSENT_LIST_MAX });
    await summary(full!); // warm both
    await summary(empty!);
    const measured: number[] = [];
    const baseline: number[] = [];
    const pages: number[] = [];
    for (let run = 0; run < runs; run++) {
      baseline.push(await timed(() => summary(empty!)));
      measured.push(await timed(() => summary(full!)));
      pages.push(await timed(() => page(full!)));
    }
    log(
      `sin-enviar: resumen con ${count} avisos ${(summarize(measured).median * 1000).toFixed(2)} ms, vacío ${(summarize(baseline).median * 1000).toFixed(2)} ms`,
    );
    return [
      {
        id: `sin-enviar/${count}`,
        label: `Resumen de avisos sin enviar (lo que lee /health) con ${count} avisos esperando`,
        unit: 's',
        measured: summarize(measured),
        baseline: summarize(baseline),
        baselineLabel: 'el mismo resumen sin avisos esperando',
        ratio: pairedRatio(measured, baseline),
        limit: { op: '<=', value: 0.05, unit: 's' },
        notes: [`lista de un plan (hasta ${UNSENT_LIST_MAX} filas, la que leen las páginas): mediana ${(summarize(pages).median * 1000).toFixed(2)} ms`],
      },
    ];
  } finally {
    await Promise.all([full?.close(), empty?.close()]);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}
