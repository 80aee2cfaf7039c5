/**
 * Benchmark `tablero`: OAPLA's plan page and its CSV report for a plan of N activities, against a
 * bare visibility List of the same workflows (the same query, through the same client, on the same
 * dev server, in the same run, paired load by load). Three phases per size:
 *
 * 1. quiet: the plan's workflows started and no worker running (nothing cached anywhere): the ratios;
 * 2. busy: the real worker (child process, cache of 100) starts and every kickoff goes out at once
 *    (the activities began the day before): 200 loads of the page and the CSV meanwhile, counting any
 *    5xx, with the notices received before and after;
 * 3. cache: the burst over, the worker holds its cache full; the page/List ratio again, against
 *    phase 1's, to show that a load does not depend on what the worker holds.
 *
 * The pages are served by the web app built in this process (web/app.ts), over HTTP, signed in.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import pino from 'pino';
import { createEvidenceStore } from '../activities/evidence';
import { planClause } from '../client/plan-list';
import { startPlan } from '../client/start-plan';
import { startMailCapture } from '../simulation/mail-capture';
import { createLocalBlobStore } from '../store/blobs';
import { buildApp } from '../web/app';
import { openRecords } from '../store/records';
import { hashPassword } from '../web/users';
import { generatePlan, type Seed } from './plans';
import type { Figure } from './report';
import { startBenchServer, type BenchServer } from './servers';
import { pairedRatio, summarize } from './stats';
import { spawnWorker } from './worker-process';

const TASK_QUEUE = 'bench-tablero';
const PASSWORD = 'clave-del-banco-1';
const BUSY_LOADS = 200;

export interface DashboardSize {
  size: number;
  runs: number;
  /** Loads while the notices go out (200 in the full run). */
  busyLoads: number;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A signed-in session of the web app, through fetch. */
async function signIn(origin: string): Promise<(path: string) => Promise<{ status: number; bytes: number }>> {
  const cookies = new Map<string, string>();
  const keep = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const i = pair.indexOf('=');
      cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
  };
  const cookie = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const login = await fetch(`${origin}/entrar`);
  keep(login);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await login.text())?.[1] ?? '';
  const res = await fetch(`${origin}/entrar`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, usuario: 'planeacion', clave: PASSWORD, volver: '/' }).toString(),
  });
  keep(res);
  if (res.status !== 303) throw new Error(`sign-in answered ${res.status}`);
  return async (path) => {
    const r = await fetch(`${origin}${path}`, { headers: { cookie: cookie() } });
    return { status: r.status, bytes: (await r.arrayBuffer()).byteLength };
  };
}

async function timed<T>(f: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const t0 = performance.now();
  const value = await f();
  return { seconds: (performance.now() - t0) / 1000, value };
}

/** The baseline: one paginated List of the plan's workflows, every row decoded, nothing else. */
async function bareList(server: BenchServer, planId: string): Promise<number> {
  let n = 0;
  for await (const _wf of server.client.workflow.list({ query: planClause(planId), pageSize: 1000 })) n++;
  return n;
}

interface Paired {
  page: number[];
  csv: number[];
  barePage: number[];
  bareCsv: number[];
  failures: number;
  loads: number;
}

/** `loads` loads alternating page and CSV, each paired with a bare List just before it. */
async function pairedLoads(server: BenchServer, get: Awaited<ReturnType<typeof signIn>>, planId: string, size: number, loads: number): Promise<Paired> {
  const out: Paired = { page: [], csv: [], barePage: [], bareCsv: [], failures: 0, loads: 0 };
  for (let i = 0; i < loads; i++) {
    const csv = i % 2 === 1;
    const bare = await timed(() => bareList(server, planId));
    if (bare.value !== size) throw new Error(`the List gave ${bare.value} workflows, not ${size}`);
    const load = await timed(() => get(csv ? `/planes/${planId}/informe.csv` : `/planes/${planId}`));
    out.loads++;
    if (load.value.status >= 500) out.failures++;
    else if (load.value.status !== 200) throw new Error(`${csv ? 'the CSV' : 'the plan page'} answered ${load.value.status}`);
    (csv ? out.csv : out.page).push(load.seconds);
    (csv ? out.bareCsv : out.barePage).push(bare.seconds);
  }
  return out;
}

async function oneSize(seed: Seed, s: DashboardSize, log: (m: string) => void): Promise<Figure[]> {
  const server = await startBenchServer();
  const mail = await startMailCapture();
  const dataDir = mkdtempSync(join(tmpdir(), 'plazos-bench-tablero-'));
  const records = await openRecords({ dataDir });
  const app = await buildApp({
    client: server.client,
    store: createEvidenceStore(createLocalBlobStore({ dir: join(dataDir, 'blobs'), logger: pino({ level: 'silent' }) })),
    secret: Buffer.alloc(32, 1),
    users: new Map([['planeacion', hashPassword(PASSWORD)]]),
    baseUrl: 'http://127.0.0.1',
    now: () => Date.now(),
    maxUploadBytes: 1024 * 1024,
    records,
  });
  let worker: Awaited<ReturnType<typeof spawnWorker>> | null = null;
  try {
    const get = await signIn(await app.listen({ port: 0, host: '127.0.0.1' }));
    const planId = `bench-tablero-${s.size}`;
    // Begun yesterday in workflow time: each workflow sends its kickoff on its first task.
    const today = DateTime.now().setZone('America/Bogota');
    const plan = generatePlan(seed.plan, s.size, {
      id: planId,
      recurrence: false,
      dates: { start: seed.calendar.previousBusinessDay(today.toISODate()!), due: seed.calendar.addBusinessDays(today.toISODate()!, 30) },
    });
    await startPlan(server.client, plan, seed.calendar, { taskQueue: TASK_QUEUE, searchAttributes: true, concurrency: 16 });
    for (let n = 0; n !== s.size; n = (await server.client.workflow.count(planClause(planId))).count) await pause(500);
    log(`tablero/${s.size}: ${s.size} flujos listados; fase tranquila (sin worker)`);

    const quiet = await pairedLoads(server, get, planId, s.size, s.runs * 2);
    log(
      `tablero/${s.size} tranquila: página ${summarize(quiet.page).median.toFixed(3)} s, CSV ${summarize(quiet.csv).median.toFixed(3)} s, List ${summarize(quiet.barePage).median.toFixed(3)} s`,
    );

    worker = await spawnWorker({ mode: 'plazos', address: server.address, taskQueue: TASK_QUEUE, dataDir, smtpUrl: mail.url, maxCachedWorkflows: 100 });
    const before = mail.messages.length;
    const busy = await pairedLoads(server, get, planId, s.size, s.busyLoads);
    const during = mail.messages.length - before;
    log(`tablero/${s.size} con avisos: ${busy.loads} cargas, ${busy.failures} con 5xx, ${during} avisos recibidos mientras tanto`);

    await mail.waitFor(s.size, 30 * 60_000);
    const status = await worker.status();
    const cached = await pairedLoads(server, get, planId, s.size, s.runs * 2);
    log(
      `tablero/${s.size} caché: página ${summarize(cached.page).median.toFixed(3)} s, List ${summarize(cached.barePage).median.toFixed(3)} s (worker: ${JSON.stringify(status)})`,
    );

    const quietPage = pairedRatio(quiet.page, quiet.barePage);
    const cachedPage = pairedRatio(cached.page, cached.barePage);
    return [
      {
        id: `tablero/${s.size}/plan`,
        label: `página del plan, ${s.size} actividades`,
        unit: 's',
        measured: summarize(quiet.page),
        baseline: summarize(quiet.barePage),
        baselineLabel: 'List de visibilidad de los mismos flujos',
        ratio: quietPage,
        target: { op: '<=', value: 1.5 },
        notes: ['Sin worker: ningún flujo en caché; la página no consulta a ningún flujo.'],
      },
      {
        id: `tablero/${s.size}/csv`,
        label: `informe CSV, ${s.size} actividades`,
        unit: 's',
        measured: summarize(quiet.csv),
        baseline: summarize(quiet.bareCsv),
        baselineLabel: 'List de visibilidad de los mismos flujos',
        ratio: pairedRatio(quiet.csv, quiet.bareCsv),
        target: { op: '<=', value: 1.5 },
        notes: [],
      },
      {
        id: `tablero/${s.size}/con-avisos`,
        label: `página y CSV mientras salen ${s.size} avisos de inicio`,
        unit: 's',
        measured: summarize([...busy.page, ...busy.csv]),
        baseline: summarize([...busy.barePage, ...busy.bareCsv]),
        baselineLabel: 'List de visibilidad, misma carga',
        ratio: pairedRatio([...busy.page, ...busy.csv], [...busy.barePage, ...busy.bareCsv]),
        counts: { expected: busy.loads, received: [busy.loads - busy.failures] },
        notes: [`${busy.loads} cargas (página y CSV alternadas), ${busy.failures} respuestas 5xx; ${during} de ${s.size} avisos llegaron durante las cargas.`],
      },
      {
        id: `tablero/${s.size}/cache`,
        label: `página del plan con el worker y su caché llena frente a sin worker, ${s.size} actividades`,
        unit: 'x',
        measured: cachedPage,
        baseline: quietPage,
        baselineLabel: 'razón página/List sin worker',
        ratio: summarize(cachedPage.runs.map((r, i) => r / (quietPage.runs[i] ?? r))),
        notes: [`Worker al medir: ${JSON.stringify(status)}.`],
      },
    ];
  } finally {
    await worker?.stop();
    await app.close();
    await Promise.all([server.stop(), mail.close()]);
    await records.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function benchDashboard(seed: Seed, sizes: DashboardSize[], log: (m: string) => void): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const s of sizes) figures.push(...(await oneSize(seed, s, log)));
  return figures;
}

export { BUSY_LOADS };
