/**
 * Benchmark: peak RSS of `plazos plan preview`, `preview --json` and `import` on the largest plan
 * the limits allow (PLAN_LIMITS: 50,000 activities, a CSV just under 16 MB, 400,000 notices),
 * against the same command on the seed (19 activities) in the same run. Each command is a child
 * process that reports its own peak (bench/rss-report.ts). The bound each must stay under is
 * stated in the README (limits table) and held by test/cli/plan-memory.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../config/paths';
import { PLAN_LIMITS } from '../plans/limits';
import { SEED_FILE } from './plans';
import type { Figure } from './report';
import { pairedRatio, summarize } from './stats';

/** Peak RSS, in MB, that preview and import of the largest plan stay under (README, limits). */
export const PLAN_RSS_BOUND_MB = 600;

/** `activities` rows whose titles fill the file to just under the size limit at 50,000. */
export function largestPlanCsv(activities: number): string {
  const areas = ['OAPLA', 'ARCOM', 'ASERA', 'ARACF', 'ARVIV'];
  const rows = ['Plan de Prueba 2023', 'Actividades;Fecha inicial;Fecha Final;Responsable;PRODUCTO O ENTREGABLE'];
  for (let i = 0; i < activities; i++) {
    const month = String((i % 12) + 1).padStart(2, '0');
    const title = `Informe ${i} ${'de seguimiento del plan de la entidad '.repeat(8)}`.slice(0, 290);
    rows.push(`${title};01/${month}/2023;27/${month}/2023;${areas[i % 5]};Acta ${i}`);
  }
  return `${rows.join('\n')}\n`;
}

/** The command's own peak RSS in MB; its output goes nowhere (the preview's 90 MB are not kept). */
function peakRss(args: string[], dir: string): number {
  const report = join(dir, 'rss');
  rmSync(report, { force: true });
  const preload = join(REPO_ROOT, 'dist', 'bench', 'rss-report.js');
  const r = spawnSync(process.execPath, ['--require', preload, join(REPO_ROOT, 'bin', 'plazos.js'), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, PLAZOS_BENCH_RSS_FILE: report },
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  // import of the largest plan is refused (exit 1: its YAML would pass 16 MB); the others succeed.
  if (r.status !== 0 && r.status !== 1) throw new Error(`plazos ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-500)}`);
  return Number(readFileSync(report, 'utf8')) / 1024;
}

export function benchPlanMemory(activities: number, runs: number, log: (m: string) => void): Figure[] {
  const dir = mkdtempSync(join(tmpdir(), 'plazos-bench-memoria-'));
  try {
    const large = join(dir, 'mayor.csv');
    writeFileSync(large, largestPlanCsv(activities));
    const bytes = statSync(large).size;
    if (bytes > PLAN_LIMITS.fileBytes) throw new Error(`the plan is ${bytes} bytes, over the limit`);
    const commands = [
      { id: 'preview', label: 'plazos plan preview', args: (file: string) => ['plan', 'preview', file] },
      { id: 'preview-json', label: 'plazos plan preview --json', args: (file: string) => ['plan', 'preview', file, '--json'] },
      { id: 'import', label: 'plazos plan import', args: (file: string) => ['plan', 'import', file, '-o', join(dir, 'salida.yaml')] },
    ];
    return commands.map((c) => {
      const measured: number[] = [];
      const baseline: number[] = [];
      for (let run = 0; run < runs; run++) {
        baseline.push(peakRss(c.args(SEED_FILE), dir));
        measured.push(peakRss(c.args(large), dir));
      }
      log(`memoria: ${c.label}, ${activities} actividades ${summarize(measured).median.toFixed(0)} MB, semilla ${summarize(baseline).median.toFixed(0)} MB`);
      return {
        id: `memoria/${activities}/${c.id}`,
        label: `${c.label} de ${activities} actividades (CSV de ${(bytes / 2 ** 20).toFixed(1)} MB), RSS máximo`,
        unit: 'MB',
        measured: summarize(measured),
        baseline: summarize(baseline),
        baselineLabel: 'la misma orden sobre la semilla (19 actividades)',
        ratio: pairedRatio(measured, baseline),
        ...(activities === PLAN_LIMITS.activities ? { limit: { op: '<=' as const, value: PLAN_RSS_BOUND_MB, unit: 'MB' } } : {}),
        notes: [`cota: ${PLAN_RSS_BOUND_MB} MB de RSS (README, límites); test/cli/plan-memory.test.ts la sostiene con --max-old-space-size=256`],
      };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
