/**
 * `npm run bench`: every benchmark, each against its baseline measured in the same run, then a
 * table for people and JSON in bench/results/<date>.json. `--quick` runs small versions in
 * seconds (the test suite does, to keep the benchmarks working); `--only a,b` picks benchmarks;
 * `--out FILE` writes the JSON elsewhere.
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import { REPO_ROOT } from '../config/paths';
import { benchBurst } from './burst';
import { benchBurstEngines } from './burst-engines';
import { benchCliStartup } from './cli-startup';
import { BUSY_LOADS, benchDashboard, type DashboardSize } from './dashboard';
import { benchCsvQuotes } from './csv-quotes';
import { benchFlood, type FloodSizes } from './flood';
import { benchOpenWorkflows } from './open-workflows';
import { benchPlanMemory } from './plan-memory';
import { benchPlanStart } from './plan-start';
import { loadSeed } from './plans';
import { formatTable, writeReport, type BenchReport, type Figure } from './report';
import { DB_DIR } from './servers';
import { benchSessions } from './sessions';
import { benchSimulation } from './simulation';
import { benchTopology } from './topology';
import { benchUnsent } from './unsent';

export const BENCHMARKS = [
  'inicio',
  'abiertos',
  'rafaga',
  'registro',
  'topologia',
  'simulacion',
  'cli',
  'comillas',
  'tablero',
  'sesiones',
  'memoria',
  'avalancha',
  'sin-enviar',
] as const;
type Bench = (typeof BENCHMARKS)[number];

interface Sizes {
  planStart: { sizes: { size: number; runs: number }[] };
  open: { count: number; cache: number; asleepSeconds: number; runs: number };
  burst: { count: number; runs: number };
  /** The burst with plazos's records in SQLite and in PostgreSQL, each against the trivial workflows. */
  engines: { count: number; runs: number };
  /** 0 leaves the production topology out (the quick run: it needs the server built from source and PostgreSQL). */
  topology: { count: number; runs: number };
  simulation: { sizes: (number | 'seed')[]; runs: number };
  cli: { runs: number };
  dashboard: { sizes: DashboardSize[] };
  quotes: { lines: number; runs: number };
  /** Rounds of sign-in form, sign-in and plan page on each engine. */
  sessions: { rounds: number };
  /** Activities of the plan whose preview and import are measured (the limit: the largest allowed). */
  memory: { activities: number; runs: number };
  flood: FloodSizes;
  /** Notices waiting in the unsent list (a mail outage during a large plan's kickoffs). */
  unsent: { count: number; runs: number };
}

const FULL: Sizes = {
  // 10,000 starts take minutes on the dev server (~100 starts/s): once, or the run would not fit in 15 min.
  planStart: {
    sizes: [
      { size: 19, runs: 5 },
      { size: 1000, runs: 3 },
      { size: 10000, runs: 1 },
    ],
  },
  // The cache at the worker's default (PLAZOS_MAX_CACHED_WORKFLOWS): what a production worker holds.
  open: { count: 10000, cache: 100, asleepSeconds: 60, runs: 1 },
  burst: { count: 2000, runs: 1 },
  // Three bursts a run (SQLite, trivial, PostgreSQL), each with its lead before the instant: at
  // 2,000 that is 15-20 minutes on a shared machine, so 1,000, as the production topology's burst.
  engines: { count: 1000, runs: 1 },
  // A round takes minutes on PostgreSQL (starts, first tasks, then the burst): one per worker count.
  topology: { count: 1000, runs: 1 },
  simulation: { sizes: ['seed', 300], runs: 2 },
  // 21 interleaved pairs: a process start is noisy on a shared machine, and each pair costs under a second.
  cli: { runs: 21 },
  // 200 loads while the notices go out at 1,000; at 10,000 a load and its List take seconds each, so 30.
  dashboard: {
    sizes: [
      { size: 1000, runs: 5, busyLoads: BUSY_LOADS },
      { size: 10000, runs: 3, busyLoads: 30 },
    ],
  },
  // The size the hostile user reported at 110 s before the reader was made linear.
  quotes: { lines: 40000, runs: 5 },
  // A round is three requests per engine (~0.2 s, scrypt most of it): 200 take about a minute and a half.
  sessions: { rounds: 200 },
  // The largest plan PLAN_LIMITS allows; a run is six processes, about a minute in all.
  memory: { activities: 50000, runs: 1 },
  // The security test's flood: ~2,500 reports on one activity. Five pairs of extensions after each.
  flood: { reports: 2500, pairs: 5 },
  // Every kickoff of a 5,000-activity plan caught by an outage.
  unsent: { count: 5000, runs: 50 },
};

const QUICK: Sizes = {
  planStart: { sizes: [{ size: 19, runs: 2 }] },
  open: { count: 100, cache: 50, asleepSeconds: 2, runs: 1 },
  burst: { count: 50, runs: 1 },
  engines: { count: 50, runs: 1 },
  topology: { count: 0, runs: 0 },
  simulation: { sizes: [3], runs: 1 },
  cli: { runs: 3 },
  dashboard: { sizes: [{ size: 50, runs: 2, busyLoads: 10 }] },
  quotes: { lines: 2000, runs: 3 },
  sessions: { rounds: 5 },
  memory: { activities: 2000, runs: 1 },
  flood: { reports: 300, pairs: 2 },
  unsent: { count: 500, runs: 10 },
};

function withRuns(sizes: Sizes, runs: number | undefined): Sizes {
  if (runs === undefined) return sizes;
  return {
    planStart: { sizes: sizes.planStart.sizes.map((s) => ({ ...s, runs })) },
    open: { ...sizes.open, runs },
    burst: { ...sizes.burst, runs },
    engines: { ...sizes.engines, runs },
    topology: { ...sizes.topology, runs: sizes.topology.count > 0 ? runs : 0 },
    simulation: { ...sizes.simulation, runs },
    cli: { runs: Math.max(runs, 3) },
    dashboard: { sizes: sizes.dashboard.sizes.map((s) => ({ ...s, runs })) },
    quotes: { ...sizes.quotes, runs },
    sessions: sizes.sessions,
    memory: { ...sizes.memory, runs },
    flood: { ...sizes.flood, pairs: runs },
    unsent: { ...sizes.unsent, runs: Math.max(runs, 10) },
  };
}

export interface RunOptions {
  quick: boolean;
  only: Bench[];
  out: string;
  /** Overrides every benchmark's number of runs. */
  runs?: number;
  /** `--dashboard-sizes 200,1000`: the plan sizes of `tablero` (a small one while developing). */
  dashboardSizes?: number[];
}

export function parseArgs(argv: string[]): RunOptions {
  const quick = argv.includes('--quick');
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const only = (value('--only')?.split(',') ?? [...BENCHMARKS]) as Bench[];
  const unknown = only.filter((b) => !BENCHMARKS.includes(b));
  if (unknown.length) throw new Error(`Banco desconocido: ${unknown.join(', ')}. Opciones: ${BENCHMARKS.join(', ')}.`);
  const date = new Date().toISOString().slice(0, 10);
  const out = value('--out') ?? join(REPO_ROOT, 'bench', 'results', `${date}${quick ? '-quick' : ''}.json`);
  const runs = value('--runs') ? Number(value('--runs')) : undefined;
  if (runs !== undefined && !(Number.isInteger(runs) && runs > 0)) throw new Error('--runs espera un entero positivo.');
  const dashboardSizes = value('--dashboard-sizes')?.split(',').map(Number);
  if (dashboardSizes?.some((n) => !(Number.isInteger(n) && n > 0))) throw new Error('--dashboard-sizes espera enteros positivos separados por comas.');
  return { quick, only, out, runs, ...(dashboardSizes ? { dashboardSizes } : {}) };
}

export async function runBenchmarks(opts: RunOptions, log: (m: string) => void): Promise<BenchReport> {
  const base = opts.quick ? QUICK : FULL;
  const sizes = withRuns(
    opts.dashboardSizes
      ? { ...base, dashboard: { sizes: opts.dashboardSizes.map((size) => ({ size, runs: 3, busyLoads: Math.min(BUSY_LOADS, size) })) } }
      : base,
    opts.runs,
  );
  const seed = await loadSeed();
  const figures: Figure[] = [];
  const wanted = (b: Bench) => opts.only.includes(b);
  if (wanted('cli')) figures.push(...benchCliStartup(sizes.cli.runs, log));
  if (wanted('memoria')) figures.push(...benchPlanMemory(sizes.memory.activities, sizes.memory.runs, log));
  if (wanted('comillas')) figures.push(...benchCsvQuotes(sizes.quotes.lines, sizes.quotes.runs, log));
  if (wanted('inicio')) figures.push(...(await benchPlanStart(seed, sizes.planStart.sizes, log)));
  if (wanted('rafaga')) figures.push(...(await benchBurst(seed, sizes.burst.count, sizes.burst.runs, log)));
  if (wanted('registro')) figures.push(...(await benchBurstEngines(seed, sizes.engines.count, sizes.engines.runs, log)));
  if (wanted('topologia') && sizes.topology.count > 0) figures.push(...(await benchTopology(seed, sizes.topology.count, sizes.topology.runs, log)));
  if (wanted('abiertos')) figures.push(...(await benchOpenWorkflows(seed, sizes.open.count, sizes.open.cache, sizes.open.runs, sizes.open.asleepSeconds, log)));
  if (wanted('tablero')) figures.push(...(await benchDashboard(seed, sizes.dashboard.sizes, log)));
  if (wanted('sesiones')) figures.push(...(await benchSessions(seed, sizes.sessions.rounds, log)));
  if (wanted('avalancha')) figures.push(...(await benchFlood(seed, sizes.flood, log)));
  if (wanted('sin-enviar')) figures.push(...(await benchUnsent(sizes.unsent.count, sizes.unsent.runs, log)));
  if (wanted('simulacion')) figures.push(...(await benchSimulation(seed, sizes.simulation.sizes, sizes.simulation.runs, log)));
  return {
    date: new Date().toISOString(),
    quick: opts.quick,
    machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, loadAverage: loadavg(), sqliteDir: DB_DIR },
    command: `node dist/bench/run.js ${process.argv.slice(2).join(' ')}`.trim(),
    figures,
  };
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  // Worker state changes and bundle sizes would drown the table; errors still show.
  Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }), forward: {} } } });
  const t0 = performance.now();
  const log = (m: string) => process.stderr.write(`[bench ${((performance.now() - t0) / 1000).toFixed(0)} s] ${m}\n`);
  const report = await runBenchmarks(opts, log);
  writeReport(opts.out, report);
  process.stdout.write(`${formatTable(report.figures)}\n\nResultados en ${opts.out}\n`);
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      // The reason, not a stack trace: a benchmark that cannot give its figure says why (bench/wait.ts).
      process.stderr.write(`El banco de pruebas no terminó: ${err instanceof Error ? err.message : String(err)}\n`);
      if (process.env.PLAZOS_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
      process.exit(1);
    },
  );
}
