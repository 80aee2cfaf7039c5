/**
 * Benchmark 5: `plazos plan validate` of the seed, a whole process from spawn to exit, against
 * `node -e 0`, interleaved run by run.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../config/paths';
import { SEED_FILE } from './plans';
import type { Figure } from './report';
import { pairedRatio, summarize } from './stats';

function timedSpawn(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return seconds;
}

export function benchCliStartup(runs: number, log: (m: string) => void): Figure[] {
  const cli = [join(REPO_ROOT, 'bin', 'plazos.js'), 'plan', 'validate', SEED_FILE];
  const measured: number[] = [];
  const baseline: number[] = [];
  timedSpawn(cli); // the first run warms the disk cache for both
  for (let run = 0; run < runs; run++) {
    baseline.push(timedSpawn(['-e', '0']));
    measured.push(timedSpawn(cli));
  }
  log(`cli: plazos plan validate ${summarize(measured).median.toFixed(3)} s, node -e 0 ${summarize(baseline).median.toFixed(3)} s`);
  return [
    {
      id: 'cli/validar',
      label: 'plazos plan validate (semilla), proceso completo',
      unit: 's',
      measured: summarize(measured),
      baseline: summarize(baseline),
      baselineLabel: 'node -e 0',
      ratio: pairedRatio(measured, baseline),
      target: { op: '<=', value: 2 },
      notes: [],
    },
  ];
}
