/**
 * Benchmark `sesiones`: signing in to OAPLA's dashboard and loading a plan page signed in, with the
 * web's sessions and sign-in counters in PostgreSQL against the same in SQLite (the embedded
 * default). Two web apps built in this process (web/app.ts, served over HTTP), each on its own
 * records, both on the same dev server and the same plan (the seed's, no worker running). Each
 * round, on each app in turn (which one goes first swaps every round), as a browser does:
 *
 * 1. the sign-in form, GET /entrar: a page that reads no session and writes nothing (the baseline);
 * 2. the sign-in, POST /entrar with the form's CSRF token: the lockout checks, scrypt, the sweep of
 *    expired sessions and the new session's row;
 * 3. the plan page with the new session's cookie: one session read, then the visibility List and
 *    the page.
 *
 * And, in this process, the session read alone (`records.sessions.find` of a live token) on each
 * engine, alternating: what the store adds to every signed-in request.
 *
 * Both engines flush each commit to the same disk (the temp dir): SQLite with synchronous=FULL,
 * PostgreSQL with fsync on, over loopback, signing in with a password read from a file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import { createEvidenceStore } from '../activities/evidence';
import { PLAN_TIMEZONE } from '../calendar/policy';
import { planClause } from '../client/plan-list';
import { startPlan } from '../client/start-plan';
import { startPostgres } from '../simulation/postgres';
import { createLocalBlobStore } from '../store/blobs';
import { openRecords, type Records, type RecordsSettings } from '../store/records';
import { buildApp } from '../web/app';
import { hashPassword } from '../web/users';
import { generatePlan, type Seed } from './plans';
import type { Figure } from './report';
import { startBenchServer, type BenchServer } from './servers';
import { pairedRatio, summarize, type Summary } from './stats';

const TASK_QUEUE = 'bench-sesiones';
const USER = 'planeacion';
const PASSWORD = 'clave-del-banco-1';

type Engine = 'sqlite' | 'postgres';

interface Site {
  engine: Engine;
  records: Records;
  app: FastifyInstance;
  origin: string;
  dataDir: string;
}

/** One round's three requests on one site, in seconds. */
interface Round {
  form: number;
  signIn: number;
  plan: number;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function openSite(engine: Engine, server: BenchServer, settings: RecordsSettings, users: Map<string, string>): Promise<Site> {
  const records = await openRecords(settings);
  const app = await buildApp({
    client: server.client,
    store: createEvidenceStore(createLocalBlobStore({ dir: join(settings.dataDir, 'blobs'), logger: pino({ level: 'silent' }) })),
    secret: Buffer.alloc(32, 1),
    users,
    baseUrl: 'http://127.0.0.1',
    now: () => Date.now(),
    maxUploadBytes: 1024 * 1024,
    records,
  });
  const origin = await app.listen({ port: 0, host: '127.0.0.1' });
  return { engine, records, app, origin, dataDir: settings.dataDir };
}

/** Cookies of one site, as a browser keeps them; redirects not followed (test/web/stack.ts's Browser). */
function browser(origin: string) {
  const cookies = new Map<string, string>();
  return async (path: string, form?: Record<string, string>): Promise<{ status: number; body: string; seconds: number }> => {
    const t0 = performance.now();
    const res = await fetch(`${origin}${path}`, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    const body = await res.text();
    const seconds = (performance.now() - t0) / 1000;
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const i = pair.indexOf('=');
      if (pair.slice(i + 1) === '' || /Max-Age=0/i.test(line)) cookies.delete(pair.slice(0, i));
      else cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
    return { status: res.status, body, seconds };
  };
}

async function round(site: Site, planPath: string): Promise<Round> {
  const go = browser(site.origin);
  const form = await go('/entrar');
  if (form.status !== 200) throw new Error(`${site.engine}: the sign-in form answered ${form.status}`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
  if (!csrf) throw new Error(`${site.engine}: the sign-in form has no CSRF field`);
  const signIn = await go('/entrar', { _csrf: csrf, usuario: USER, clave: PASSWORD, volver: planPath });
  if (signIn.status !== 303) throw new Error(`${site.engine}: the sign-in answered ${signIn.status}`);
  const plan = await go(planPath);
  if (plan.status !== 200) throw new Error(`${site.engine}: the plan page answered ${plan.status} signed in`);
  return { form: form.seconds, signIn: signIn.seconds, plan: plan.seconds };
}

/** `records.sessions.find` of one live token, `reads` times on each engine, alternating; seconds each. */
async function sessionReads(sites: Record<Engine, Site>, reads: number): Promise<Record<Engine, number[]>> {
  const token = {
    sqlite: await sites.sqlite.records.sessions.open({ username: USER, userStamp: 'x', expiresAt: Date.now() + 3_600_000 }),
    postgres: await sites.postgres.records.sessions.open({ username: USER, userStamp: 'x', expiresAt: Date.now() + 3_600_000 }),
  };
  const out: Record<Engine, number[]> = { sqlite: [], postgres: [] };
  for (let i = 0; i < reads; i++) {
    for (const engine of i % 2 === 0 ? (['sqlite', 'postgres'] as const) : (['postgres', 'sqlite'] as const)) {
      const t0 = performance.now();
      if (!(await sites[engine].records.sessions.find(token[engine], Date.now()))) throw new Error(`${engine}: a live session was not found`);
      out[engine].push((performance.now() - t0) / 1000);
    }
  }
  return out;
}

const msOf = (s: Summary) => `${(s.median * 1000).toFixed(1)} ms`;

export async function benchSessions(seed: Seed, rounds: number, log: (m: string) => void): Promise<Figure[]> {
  const server = await startBenchServer();
  const pg = await startPostgres({ auth: 'scram', fsync: true });
  const dirs = [mkdtempSync(join(tmpdir(), 'plazos-bench-sesiones-')), mkdtempSync(join(tmpdir(), 'plazos-bench-sesiones-'))] as const;
  const opened: Site[] = [];
  try {
    const users = new Map([[USER, hashPassword(PASSWORD)]]);
    pg.createDatabase('plazos_sesiones', 'clave-plazos-sesiones');
    const passwordFile = join(pg.dir, 'plazos_sesiones.password');
    writeFileSync(passwordFile, 'clave-plazos-sesiones\n', { mode: 0o600 });
    const sites: Record<Engine, Site> = {
      sqlite: await openSite('sqlite', server, { dataDir: dirs[0] }, users),
      postgres: await openSite('postgres', server, { url: pg.url('plazos_sesiones', 'plazos_sesiones'), passwordFile, dataDir: dirs[1] }, users),
    };
    opened.push(sites.sqlite, sites.postgres);

    const size = seed.plan.activities.length;
    const planId = 'bench-sesiones';
    // Begun yesterday and due in 30 business days, as bench/dashboard.ts's plans: open, nothing overdue.
    const today = DateTime.now().setZone(PLAN_TIMEZONE).toISODate()!;
    const dates = { start: seed.calendar.previousBusinessDay(today), due: seed.calendar.addBusinessDays(today, 30) };
    await startPlan(server.client, generatePlan(seed.plan, size, { id: planId, recurrence: false, dates }), seed.calendar, {
      taskQueue: TASK_QUEUE,
      searchAttributes: true,
    });
    for (let n = 0; n !== size; n = (await server.client.workflow.count(planClause(planId))).count) await pause(500);
    const planPath = `/planes/${planId}`;
    // One round each, untimed: the first request of an app compiles its templates and opens its pool.
    await round(sites.sqlite, planPath);
    await round(sites.postgres, planPath);

    const timed: Record<Engine, Round[]> = { sqlite: [], postgres: [] };
    for (let i = 0; i < rounds; i++) {
      for (const engine of i % 2 === 0 ? (['sqlite', 'postgres'] as const) : (['postgres', 'sqlite'] as const)) {
        timed[engine].push(await round(sites[engine], planPath));
      }
    }
    const reads = await sessionReads(sites, rounds * 5);
    const of = (engine: Engine, what: keyof Round) => timed[engine].map((r) => r[what]);
    for (const engine of ['sqlite', 'postgres'] as const) {
      log(
        `sesiones ${engine}: formulario ${msOf(summarize(of(engine, 'form')))}, ingreso ${msOf(summarize(of(engine, 'signIn')))}, ` +
          `página del plan ${msOf(summarize(of(engine, 'plan')))}, lectura de la sesión ${msOf(summarize(reads[engine]))}`,
      );
    }

    const overForm = (engine: Engine, what: 'signIn' | 'plan') => pairedRatio(of(engine, what), of(engine, 'form')).median.toFixed(2);
    const pgOverSqlite = (what: keyof Round): Pick<Figure, 'measured' | 'baseline' | 'ratio'> => ({
      measured: summarize(of('postgres', what)),
      baseline: summarize(of('sqlite', what)),
      ratio: pairedRatio(of('postgres', what), of('sqlite', what)),
    });
    const both = (what: keyof Round) => `SQLite ${msOf(summarize(of('sqlite', what)))}, PostgreSQL ${msOf(summarize(of('postgres', what)))}`;
    return [
      {
        id: 'sesiones/entrar',
        label: 'ingreso al tablero (POST /entrar con CSRF), sesiones y contadores en PostgreSQL frente a SQLite',
        unit: 's',
        ...pgOverSqlite('signIn'),
        baselineLabel: 'sesiones en SQLite',
        notes: [
          `${rounds} ingresos en cada motor, alternando cuál va primero. Mediana: ${both('signIn')}.`,
          `Frente al formulario de ingreso (GET /entrar, no lee sesión) de la misma ronda: SQLite ${overForm('sqlite', 'signIn')}x, PostgreSQL ${overForm('postgres', 'signIn')}x (el ingreso incluye scrypt).`,
        ],
      },
      {
        id: `sesiones/plan/${size}`,
        label: `página del plan (${size} actividades) con sesión iniciada, sesiones en PostgreSQL frente a SQLite`,
        unit: 's',
        ...pgOverSqlite('plan'),
        baselineLabel: 'sesiones en SQLite',
        notes: [
          `${rounds} cargas en cada motor, cada una con la cookie del ingreso anterior; sin worker. Mediana: ${both('plan')}.`,
          `Frente al formulario de ingreso (no lee sesión) de la misma ronda: SQLite ${overForm('sqlite', 'plan')}x, PostgreSQL ${overForm('postgres', 'plan')}x.`,
        ],
      },
      {
        id: 'sesiones/lectura',
        label: 'lectura de una sesión (records.sessions.find) en el proceso, PostgreSQL frente a SQLite',
        unit: 'ms',
        measured: summarize(reads.postgres.map((s) => s * 1000)),
        baseline: summarize(reads.sqlite.map((s) => s * 1000)),
        baselineLabel: 'SQLite',
        ratio: pairedRatio(reads.postgres, reads.sqlite),
        notes: [`${reads.sqlite.length} lecturas en cada motor, alternadas: lo que el almacén añade a cada petición con sesión.`],
      },
      {
        id: 'sesiones/sin-sesion',
        label: 'control: formulario de ingreso (GET /entrar, no lee sesión) en la app con PostgreSQL frente a la app con SQLite',
        unit: 's',
        ...pgOverSqlite('form'),
        baselineLabel: 'app con SQLite',
        notes: [`Las dos apps solo difieren en el almacén; esta razón es el ruido entre ellas. Mediana: ${both('form')}.`],
      },
    ];
  } finally {
    for (const site of opened) {
      await site.app.close();
      await site.records.close();
    }
    await server.stop();
    pg.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}
