/**
 * Real processes for the fault tests: the Temporal CLI's dev server on a SQLite file (stopped and
 * started again on the same file), plazos's production processes as children (the worker `node
 * dist/workers/main.js`, the web app, the mailbox reader; killed or stopped by signal), and plans
 * whose notices fall due the moment they start, so one start makes a burst of mail.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client, Connection } from '@temporalio/client';
import { DateTime } from 'luxon';
import { BusinessCalendar } from '../../calendar/business-calendar';
import { startPlan } from '../../client/start-plan';
import { REPO_ROOT } from '../../config/paths';
import { PlanSchema, type Plan } from '../../plans/model';
import { startMailCapture, type MailCapture } from '../../simulation/mail-capture';
import { startDevServer, type DevServer } from '../../workers/dev-server';
import { statusQuery, type PeriodStatusView } from '../../workflows/shared';
import { closedPort } from './smtp';
import { sentMessageIds } from '../../simulation/ledger';

export const calendar = new BusinessCalendar();

const WORKER_MAIN = join(REPO_ROOT, 'dist', 'workers', 'main.js');
const MAILBOX_MAIN = join(REPO_ROOT, 'dist', 'workers', 'mailbox.js');

/** The workers' sender is plazos@MAIL_DOMAIN, so every Message-ID ends in @MAIL_DOMAIN. */
export const MAIL_DOMAIN = 'localhost';

/** A fresh directory under the system's temp dir, for the SQLite file and the worker's data. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `plazos-${prefix}-`));
}

/** Waits, at most `timeoutMs`, until `read()` gives a value `ok` accepts; polls, asserts no timing. */
export async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    try {
      last = await read();
      if (ok(last)) return last;
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    if (Date.now() > deadline) throw new Error(`never happened within ${timeoutMs} ms: ${what} (last: ${JSON.stringify(last)?.slice(0, 500)})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

// ---- build ----------------------------------------------------------------------------------------

let built = false;

/**
 * The worker runs from dist/: bring the incremental build up to date once per test file. `tsc -b`
 * emits even when some file has a type error, so a failed setup is reported but only stops the
 * tests when no worker was built; a worker that cannot run fails its start with its own stderr.
 */
export function buildWorker(): void {
  if (built) return;
  const result = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'setup.mjs'), '--quiet'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (result.status !== 0) {
    if (!existsSync(WORKER_MAIN)) throw new Error(`setup failed (${result.status}):\n${result.stderr}`);
    console.warn(`setup reported errors; running the worker tsc emitted anyway:\n${result.stderr}`);
  }
  built = true;
}

// ---- the Temporal dev server ---------------------------------------------------------------------

export interface TemporalProcess {
  readonly address: string;
  readonly dbFile: string;
  readonly client: Client;
  /** SIGTERM, as an operator stopping the service; resolves once the process has exited. */
  stop(): Promise<void>;
  /** Starts the server again on the same port and SQLite file. */
  start(): Promise<void>;
  /** Stops the server and closes the client's connection. */
  close(): Promise<void>;
}

/** The dev server on a free loopback port and a SQLite file in `dir`, with a client connected to it. */
export async function startTemporal(dir: string): Promise<TemporalProcess> {
  const dbFile = join(dir, 'temporal.db');
  const port = await closedPort();
  const launch = () => startDevServer({ host: '127.0.0.1', port, dbFile });
  let server: DevServer | null = await launch();
  const connection = await Connection.connect({ address: server.address });
  return {
    address: server.address,
    dbFile,
    client: new Client({ connection }),
    async stop() {
      await server?.stop();
      server = null;
    },
    async start() {
      if (server) throw new Error('the dev server is already running');
      server = await launch();
    },
    async close() {
      await connection.close();
      await server?.stop();
      server = null;
    },
  };
}

// ---- plazos's processes: the worker, the web app, the mailbox reader --------------------------------

export interface WorkerEnv {
  temporalAddress: string;
  smtpUrl: string;
  /**
   * The process's own data directory. Without PLAZOS_DATABASE_URL and PLAZOS_BLOB_STORE in `extra`
   * it holds the records (SQLite) and the evidence files, so processes that must share them share it.
   */
  dataDir: string;
  taskQueue: string;
  /** Further settings: the process's own (its cache size), or the stores every process shares. */
  extra?: Record<string, string>;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export interface PlazosProcess {
  readonly pid: number;
  /** What the process logged (pino's JSON lines), for assertions and for a failing test's message. */
  readonly logs: LogLine[];
  readonly exited: Promise<Exit>;
  /** True until the process has exited. */
  running(): boolean;
  /** SIGKILL: the machine lost power, nothing is flushed or finished. */
  kill(): Promise<Exit>;
  /** SIGTERM: the service manager stops the process. */
  stop(): Promise<Exit>;
}

export type WorkerProcess = PlazosProcess;

const running = new Map<ChildProcess, Promise<Exit>>();

/** The test's environment without plazos or Temporal settings of its own, which would change what the process does. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(PLAZOS_|TEMPORAL_)/.test(key)));
}

/** The settings every plazos process of a test gets, as its container would. */
function processEnv(env: WorkerEnv, logLevel: string): NodeJS.ProcessEnv {
  return {
    ...cleanEnv(),
    TEMPORAL_ADDRESS: env.temporalAddress,
    PLAZOS_SMTP_URL: env.smtpUrl,
    PLAZOS_DATA_DIR: env.dataDir,
    PLAZOS_TASK_QUEUE: env.taskQueue,
    PLAZOS_MAIL_FROM: `Plazos <plazos@${MAIL_DOMAIN}>`,
    PLAZOS_EVIDENCE_ALLOW_PRIVATE: 'true',
    LOG_LEVEL: logLevel,
    ...env.extra,
  };
}

/** Keeps the process's log lines and resolves once it logs `ready` (or fails if it exits first). */
function followLogs(child: ChildProcess, logs: LogLine[], exited: Promise<Exit>, what: string, ready: string, timeoutMs: number): Promise<void> {
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start within ${timeoutMs / 1000} s:\n${stderr.join('\n')}`)), timeoutMs);
    const done = (err?: Error) => (clearTimeout(timer), err ? reject(err) : resolve());
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = parseLogLine(line);
      logs.push(entry);
      if (entry.msg === ready) done();
    });
    void exited.then((exit) => done(new Error(`${what} exited before starting (${JSON.stringify(exit)}):\n${stderr.join('\n')}`)));
  });
}

function parseLogLine(line: string): LogLine {
  try {
    return JSON.parse(line) as LogLine;
  } catch {
    return { level: 30, msg: line };
  }
}

/** Spawns `node args…` from the repository root and resolves once it logs `ready`. */
async function startPlazosProcess(args: string[], env: NodeJS.ProcessEnv, what: string, ready: string, timeoutMs = 90_000): Promise<PlazosProcess> {
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env });
  const logs: LogLine[] = [];
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => (running.delete(child), resolve({ code, signal }))));
  running.set(child, exited);
  try {
    await followLogs(child, logs, exited, what, ready, timeoutMs);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  const alive = () => child.exitCode === null && child.signalCode === null;
  const signal = (sig: NodeJS.Signals) => {
    if (alive()) child.kill(sig);
    return exited;
  };
  return { pid: child.pid!, logs, exited, running: alive, kill: () => signal('SIGKILL'), stop: () => signal('SIGTERM') };
}

/**
 * Spawns `node dist/workers/main.js` (call buildWorker() first) and resolves once it logs
 * "worker started". LOG_LEVEL is info: that line is logged at info, and the "Notice sent" lines
 * that come with it tell a failing test which process sent what.
 */
export function startWorker(env: WorkerEnv): Promise<WorkerProcess> {
  return startPlazosProcess([WORKER_MAIN], processEnv(env, 'info'), 'the worker', 'worker started');
}

export interface WebProcess extends PlazosProcess {
  /** http://127.0.0.1:PORT */
  readonly origin: string;
}

/**
 * `dist/web/main.js`'s startWeb bound to loopback (its `main` listens on every interface, as the
 * container needs), configured by environment as in production; resolves once it listens.
 */
export async function startWebProcess(env: WorkerEnv, usersFile: string): Promise<WebProcess> {
  const port = await closedPort();
  const script = `
    const { parseEnv } = require('./dist/config/schema.js');
    const { startWeb } = require('./dist/web/main.js');
    startWeb(parseEnv(), '127.0.0.1').then((w) => {
      process.stdout.write('listening\\n');
      process.once('SIGTERM', () => w.close().then(() => process.exit(0), () => process.exit(1)));
    }, (err) => { process.stderr.write(String(err && err.stack || err) + '\\n'); process.exit(1); });`;
  const web = await startPlazosProcess(
    ['-e', script],
    { ...processEnv(env, 'info'), PLAZOS_OAPLA_USERS: usersFile, PORT: String(port) },
    'the web app',
    'listening',
    60_000,
  );
  return { ...web, origin: `http://127.0.0.1:${port}` };
}

/**
 * `node dist/workers/mailbox.js`, the reply mailbox's reader, with the IMAP settings in
 * `env.extra`; resolves once it logs that it is reading the mailbox (signed in, folders made, INBOX
 * held).
 */
export function startMailboxProcess(env: WorkerEnv): Promise<PlazosProcess> {
  return startPlazosProcess([MAILBOX_MAIN], processEnv(env, 'info'), 'the mailbox reader', 'reading the reply mailbox');
}

/**
 * The exit after SIGTERM, or, past `ms`, SIGKILL and its exit: a process that ignores SIGTERM
 * fails the test with signal SIGKILL instead of holding it until jest's timeout.
 */
export async function stopWithin(p: PlazosProcess, ms: number): Promise<Exit> {
  const timer = setTimeout(() => void p.kill(), ms);
  try {
    return await p.stop();
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `restart: unless-stopped` for a worker: when it exits on its own (its liveness watch,
 * workers/liveness.ts, found it stalled) a fresh one starts with the same settings, as Docker would
 * start it. Each restart is kept with the line the worker logged last, for the test's summary.
 */
export class Supervised {
  readonly restarts: { at: string; exit: Exit; lastLog: string }[] = [];
  private stopping = false;

  /** `started` hears of every worker started in place of the one before. */
  constructor(
    public current: WorkerProcess,
    private readonly env: WorkerEnv,
    private readonly started: (worker: WorkerProcess) => void = () => undefined,
  ) {
    this.watch(current);
  }

  private watch(w: WorkerProcess): void {
    void w.exited.then(async (exit) => {
      if (this.stopping || w !== this.current) return;
      const last = w.logs.at(-1);
      this.restarts.push({ at: new Date().toISOString(), exit, lastLog: last ? last.msg : '' });
      this.current = await startWorker(this.env);
      this.started(this.current);
      this.watch(this.current);
    });
  }

  /** No restart from now on (the run is over and the cluster is going away). */
  hold(): void {
    this.stopping = true;
  }
}

/** For afterAll: the processes a test left running are killed, by their own pid. */
export async function killWorkers(): Promise<void> {
  const left = [...running];
  for (const [child] of left) child.kill('SIGKILL');
  await Promise.all(left.map(([, exited]) => exited));
}

// ---- plans whose notices fall due now ------------------------------------------------------------

export const AREAS = ['ARVIV', 'ARCOM', 'ASERA', 'ARACF'] as const;

export interface DuePlanOptions {
  id: string;
  count: number;
  /** Activity n is the responsibility of responsible[(n - 1) % responsible.length]; default: one area each, in turn. */
  responsible?: readonly (readonly string[])[];
}

/**
 * A plan whose activities all began on the last business day before today (Bogota) and fall due
 * 20 business days from today: started now, each workflow owes its kickoff at once (the 08:00 of
 * its start day has passed, so the catch-up rule of workflows/period.ts sends it) and nothing else
 * for days.
 */
export function planDueNow(opts: DuePlanOptions): Plan {
  const today = DateTime.now().setZone('America/Bogota').toISODate()!;
  const start = calendar.previousBusinessDay(today);
  const due = calendar.addBusinessDays(today, 20);
  const responsible = opts.responsible ?? AREAS.map((a) => [a]);
  return PlanSchema.parse({
    id: opts.id,
    title: 'Plan de pruebas de fallas',
    year: Number(today.slice(0, 4)),
    activities: Array.from({ length: opts.count }, (_, i) => ({
      number: i + 1,
      title: `Actividad de prueba ${i + 1}`,
      start,
      due,
      responsible: responsible[i % responsible.length],
      deliverable: `Informe ${i + 1}.`,
    })),
  });
}

// ---- what the workflows say -----------------------------------------------------------------------

/** The status query of a plain (non-recurring) activity workflow. */
export async function periodStatus(client: Client, workflowId: string): Promise<PeriodStatusView> {
  const status = await client.workflow.getHandle(workflowId).query(statusQuery);
  if (status.kind !== 'period') throw new Error(`${workflowId} is a recurring activity`);
  return status;
}

export interface BurstInterruption {
  client: Client;
  plan: Plan;
  taskQueue: string;
  mail: MailCapture;
  /** Interrupt once the SMTP server has accepted this many messages. */
  after: number;
  worker: WorkerProcess;
  how: 'kill' | 'stop';
}

/**
 * Starts the plan and, the moment the SMTP server has accepted `after` messages, kills or stops the
 * worker. The capture stores a message just before it answers 250, so the signal leaves right
 * behind that reply: the worker has most likely not yet recorded that message in its sent-ledger.
 */
export async function interruptBurst(b: BurstInterruption): Promise<Exit> {
  const starting = startPlan(b.client, b.plan, calendar, { taskQueue: b.taskQueue, searchAttributes: true });
  await b.mail.waitFor(b.after, 60_000);
  const exit = await b.worker[b.how]();
  await starting;
  return exit;
}

/** Waits until every activity's kickoff has its receipt in the workflow, then lists the receipts' Message-IDs. */
export async function kickoffReceipts(client: Client, plan: Plan): Promise<string[]> {
  // Visibility first: one count per poll instead of a query per activity.
  const query = `PlazosPlan = "${plan.id}" AND PlazosStatus = "active"`;
  await eventually(
    () => client.workflow.count(query),
    (c) => c.count === plan.activities.length,
    `${plan.id}: every kickoff recorded`,
    150_000,
  );
  // The receipts are in each workflow's state: asked 20 at a time, and asked again when a query waits out
  // its deadline behind the worker's backlog (a loaded machine), rather than 200 at once.
  const statuses: PeriodStatusView[] = [];
  for (let i = 0; i < plan.activities.length; i += 20) {
    const batch = plan.activities.slice(i, i + 20).map((a) => `${plan.id}/${a.number}`);
    statuses.push(...(await Promise.all(batch.map((id) => withRetries(() => periodStatus(client, id))))));
  }
  return statuses.flatMap((s) => s.sent.filter((n) => n.kind === 'kickoff').map((n) => n.messageId ?? `no receipt in ${s.workflowId}`));
}

/** A query that timed out (DEADLINE_EXCEEDED) is asked again, up to three times in all. */
async function withRetries<T>(ask: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ask();
    } catch (err) {
      const cause = (err as { cause?: unknown }).cause;
      const timedOut = /DEADLINE_EXCEEDED|query timed out/.test(`${(err as Error).message} ${cause instanceof Error ? cause.message : ''}`);
      if (!timedOut || attempt === 3) throw err;
    }
  }
}

/** Message-IDs of the notices in the workers' sent-ledger: the store their settings name (SQLite in the data directory by default). */
export function recordedInLedger(env: Pick<WorkerEnv, 'dataDir' | 'extra'>): Promise<Set<string>> {
  return sentMessageIds({ dataDir: env.dataDir, url: env.extra?.PLAZOS_DATABASE_URL, passwordFile: env.extra?.PLAZOS_DATABASE_PASSWORD_FILE });
}

/** How many times each value occurs. */
export function countBy(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

/** A dev server on a temp SQLite file and an SMTP server, for the tests that run worker processes against them. */
export interface WorkerStack {
  temporal: TemporalProcess;
  mail: MailCapture;
  /** What a worker process started on this stack is given. */
  env: WorkerEnv;
  /** Kills the workers started, then stops the servers and removes the temp files. */
  close(): Promise<void>;
}

export async function startWorkerStack(prefix: string, taskQueue: string): Promise<WorkerStack> {
  buildWorker();
  const dir = tempDir(prefix);
  const [temporal, mail] = await Promise.all([startTemporal(dir), startMailCapture()]);
  return {
    temporal,
    mail,
    env: { temporalAddress: temporal.address, smtpUrl: mail.url, dataDir: join(dir, 'data'), taskQueue },
    async close() {
      await killWorkers();
      await Promise.all([temporal.close(), mail.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
