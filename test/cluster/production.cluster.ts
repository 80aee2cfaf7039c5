/**
 * docker-compose.yml's topology, without Docker (simulation/cluster.ts): PostgreSQL, the Temporal
 * server built from source with its schema set up by temporal-sql-tool and the namespace by
 * deploy/temporal/init-namespace.sh, two plazos workers and the web app as child processes, and a
 * real SMTP capture. The seed plan and a 1,000-activity plan start with every kickoff due now;
 * while the kickoffs go out one worker is SIGKILLed, then PostgreSQL is restarted, then the Temporal
 * server. Every notice must arrive, under the Message-ID its workflow holds as receipt, and status
 * and the dashboard must answer again after each fault.
 *
 * Named *.cluster.ts so plain `npm test` does not pick it up: `npm run test:cluster` runs it
 * (jest.cluster.config.js) after building the server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Client } from '@temporalio/client';
import { generatePlan, loadSeed } from '../../bench/plans';
import { readStatus } from '../../client/status';
import { startPlan } from '../../client/start-plan';
import { REPO_ROOT } from '../../config/paths';
import type { Plan } from '../../plans/model';
import { startMailCapture, type MailCapture } from '../../simulation/mail-capture';
import { hashPassword } from '../../web/users';
import { startCluster, type Cluster } from '../../simulation/cluster';
import {
  buildWorker,
  countBy,
  eventually,
  killWorkers,
  MAIL_DOMAIN,
  periodStatus,
  recordedInLedger,
  startWorker,
  tempDir,
  type Exit,
  type WorkerEnv,
  type WorkerProcess,
} from '../helpers/processes';
import { closedPort } from '../helpers/smtp';
import { Browser, csrfOf } from '../web/stack';

const TASK_QUEUE = 'plazos-cluster';
const USER = 'planeacion';
const PASSWORD = 'clave-de-prueba-cluster';
const MINUTE = 60_000;

let cluster: Cluster | undefined;
let mail: MailCapture | undefined;
let dir: string;
let web: WebProcess | undefined;
let prober: Prober | undefined;
let workers: WorkerProcess[] = [];
let survivor: Supervised | undefined;

/**
 * Each worker's log lines, kept after the run in test-artifacts/cluster/ (git-ignored): its
 * "worker health" lines every few seconds show what a stalled worker was doing when it stalled.
 */
function keepWorkerLogs(): void {
  const out = join(REPO_ROOT, 'test-artifacts', 'cluster');
  mkdirSync(out, { recursive: true });
  workers.forEach((w, i) => writeFileSync(join(out, `worker-${i + 1}.log`), w.logs.map((l) => JSON.stringify(l)).join('\n') + '\n'));
}

// ---- the web app as a child process ----------------------------------------------------------------

interface WebProcess {
  origin: string;
  child: ChildProcess;
  exited: Promise<Exit>;
  stop(): Promise<Exit>;
}

/**
 * `dist/web/main.js`'s startWeb, bound to loopback (its `main` listens on every interface, as the
 * container needs), configured by environment as in production.
 */
async function startWebProcess(env: WorkerEnv, usersFile: string): Promise<WebProcess> {
  const port = await closedPort();
  const script = `
    const { parseEnv } = require('./dist/config/schema.js');
    const { startWeb } = require('./dist/web/main.js');
    startWeb(parseEnv(), '127.0.0.1').then((w) => {
      process.stdout.write('listening\\n');
      process.once('SIGTERM', () => w.close().then(() => process.exit(0), () => process.exit(1)));
    }, (err) => { process.stderr.write(String(err && err.stack || err) + '\\n'); process.exit(1); });`;
  const child = spawn(process.execPath, ['-e', script], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(PLAZOS_|TEMPORAL_)/.test(key))),
      TEMPORAL_ADDRESS: env.temporalAddress,
      PLAZOS_TASK_QUEUE: env.taskQueue,
      PLAZOS_DATA_DIR: env.dataDir,
      PLAZOS_SMTP_URL: env.smtpUrl,
      PLAZOS_OAPLA_USERS: usersFile,
      PORT: String(port),
      LOG_LEVEL: 'warn',
    },
  });
  const stderr: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the web app did not start within 60 s:\n${stderr.join('\n')}`)), MINUTE);
    createInterface({ input: child.stdout }).on('line', (line) => line === 'listening' && (clearTimeout(timer), resolve()));
    void exited.then((exit) => (clearTimeout(timer), reject(new Error(`the web app exited (${JSON.stringify(exit)}):\n${stderr.join('\n')}`))));
  });
  return {
    origin: `http://127.0.0.1:${port}`,
    child,
    exited,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/**
 * The exit after SIGTERM, or, past `ms`, SIGKILL and its exit: a process that ignores SIGTERM
 * fails the test with signal SIGKILL instead of holding it until jest's timeout. (A worker that had
 * stopped polling workflow tasks did not exit on SIGTERM in one run here.)
 */
async function exitWithin(stopping: Promise<Exit>, kill: () => void, ms: number): Promise<Exit> {
  const timer = setTimeout(kill, ms);
  try {
    return await stopping;
  } finally {
    clearTimeout(timer);
  }
}

// ---- Docker's restart policy -------------------------------------------------------------------------

/**
 * `restart: unless-stopped` for the surviving worker: when it exits on its own (its liveness watch,
 * workers/liveness.ts, found it stalled) a fresh one starts, as Docker would start it. Each restart
 * is kept with the line the worker logged last, and the summary reports them.
 */
class Supervised {
  readonly restarts: { at: string; exit: Exit; lastLog: string }[] = [];
  private stopping = false;

  constructor(
    public current: WorkerProcess,
    private readonly env: WorkerEnv,
  ) {
    this.watch(current);
  }

  private watch(w: WorkerProcess): void {
    void w.exited.then(async (exit) => {
      if (this.stopping || w !== this.current) return;
      const last = w.logs.at(-1);
      this.restarts.push({ at: new Date().toISOString(), exit, lastLog: last ? last.msg : '' });
      this.current = await startWorker(this.env);
      workers.push(this.current);
      this.watch(this.current);
    });
  }

  /** No restart from now on (the run is over and the cluster is going away). */
  hold(): void {
    this.stopping = true;
  }

  /** The worker running now stops; no restart follows. */
  stop(): Promise<Exit> {
    this.hold();
    return this.current.stop();
  }
}

// ---- probes: what people see while the faults happen -----------------------------------------------

type Phase = 'steady' | 'worker-killed' | 'postgres-down' | 'postgres-recovering' | 'temporal-down' | 'temporal-recovering' | 'after';

interface ProbeResult {
  what: 'status' | 'health' | 'dashboard';
  phase: Phase;
  ok: boolean;
  detail?: string;
}

/** Gives up on a probe after `ms`: a hung request is an unanswered one. */
function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([work, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}

class Prober {
  phase: Phase = 'steady';
  readonly results: ProbeResult[] = [];
  private stopped = false;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly client: Client,
    private readonly browser: Browser,
    private readonly workflowIds: readonly string[],
    private readonly dashboardPath: string,
  ) {}

  /** One round: a random activity's status as `plazos status` reads it, /health, and the plan's dashboard. */
  async round(): Promise<ProbeResult[]> {
    const phase = this.phase;
    const id = this.workflowIds[Math.floor(Math.random() * this.workflowIds.length)]!;
    const probe = async (what: ProbeResult['what'], work: () => Promise<void>): Promise<ProbeResult> => {
      try {
        await within(20_000, work());
        return { what, phase, ok: true };
      } catch (err) {
        return { what, phase, ok: false, detail: err instanceof Error ? err.message.slice(0, 200) : String(err) };
      }
    };
    const results = await Promise.all([
      probe('status', async () => {
        const reading = await readStatus(this.client, id);
        if (!reading) throw new Error(`${id}: no such workflow`);
      }),
      probe('health', async () => {
        const res = await this.browser.get('/health');
        if (res.statusCode !== 200) throw new Error(`/health answered ${res.statusCode}`);
      }),
      probe('dashboard', async () => {
        const res = await this.browser.get(this.dashboardPath);
        if (res.statusCode !== 200) throw new Error(`${this.dashboardPath} answered ${res.statusCode}`);
      }),
    ]);
    this.results.push(...results);
    return results;
  }

  start(): void {
    this.loop = (async () => {
      while (!this.stopped) {
        await this.round();
        await new Promise((r) => setTimeout(r, 1000));
      }
    })();
  }

  /** Rounds until one answers on all three (bounded): the service is back for the people who use it. */
  async recovered(what: string, timeoutMs = 3 * MINUTE): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const results = await this.round();
      if (results.every((r) => r.ok)) return;
      if (Date.now() > deadline) throw new Error(`status and dashboard did not answer again within ${timeoutMs} ms after ${what}: ${JSON.stringify(results)}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }
}

/**
 * For a failing run: when each task queue last saw a poller. Twice in five runs here the surviving
 * worker stopped polling workflow tasks after the Temporal server restart while it kept polling
 * activity tasks, and the kickoffs still owed waited in the backlog.
 */
async function pollers(client: Client): Promise<string> {
  const lines: string[] = [];
  for (const taskQueueType of [1, 2] as const) {
    try {
      const res = await client.workflowService.describeTaskQueue({ namespace: 'default', taskQueue: { name: TASK_QUEUE }, taskQueueType });
      const seen = res.pollers.map((p) => `${p.identity} last polled ${new Date(Number(p.lastAccessTime?.seconds ?? 0) * 1000).toISOString()}`);
      lines.push(`${taskQueueType === 1 ? 'workflow' : 'activity'} task queue: ${seen.join(', ') || 'no pollers'}`);
    } catch (err) {
      lines.push(`describeTaskQueue failed: ${String(err)}`);
    }
  }
  return `${lines.join('\n')} (now ${new Date().toISOString()})`;
}

// ---- the plans -------------------------------------------------------------------------------------

/**
 * Receipts of every kickoff, read from the workflows once visibility shows them all recorded. A
 * query waits for the worker; one that times out (the worker busy replaying, or the workflow's
 * sticky queue still on the killed worker) is asked again, and counted in `retried`.
 */
async function kickoffReceipts(client: Client, plan: Plan, retried: string[]): Promise<string[]> {
  const query = `PlazosPlan = "${plan.id}" AND PlazosStatus = "active"`;
  await eventually(
    () => client.workflow.count(query),
    (c) => c.count === plan.activities.length,
    `${plan.id}: every kickoff recorded`,
    5 * MINUTE,
  );
  const receipts: string[] = [];
  const queue = [...plan.activities];
  // A few queries at a time: a thousand at once would only queue behind each other.
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let a = queue.shift(); a; a = queue.shift()) {
        const workflowId = `${plan.id}/${a.number}`;
        const status = await eventually(
          () => periodStatus(client, workflowId).catch((err: unknown) => (retried.push(workflowId), Promise.reject(err as Error))),
          () => true,
          `${workflowId} status`,
          5 * MINUTE,
        );
        receipts.push(...status.sent.filter((n) => n.kind === 'kickoff').map((n) => n.messageId ?? `no receipt in ${workflowId}`));
      }
    }),
  );
  return receipts;
}

// ---- the run ---------------------------------------------------------------------------------------

describe('the production topology: PostgreSQL, the Temporal server, two workers and the web app', () => {
  afterAll(async () => {
    survivor?.hold();
    keepWorkerLogs();
    await prober?.stop();
    await killWorkers();
    await web?.stop();
    await mail?.close();
    await cluster?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 2 * MINUTE);

  it(
    'delivers the seed plan and a 1,000-activity plan, each kickoff under its receipt Message-ID, through a worker SIGKILL, a PostgreSQL restart and a Temporal server restart; status and the dashboard answer again after each',
    async () => {
      buildWorker();
      dir = tempDir('cluster-run');
      [cluster, mail] = await Promise.all([startCluster(), startMailCapture()]);
      const env: WorkerEnv = {
        temporalAddress: cluster.address,
        smtpUrl: mail.url,
        dataDir: join(dir, 'data'),
        taskQueue: TASK_QUEUE,
        // The health line often enough to see a stall; a stalled worker exits after two minutes
        // without a poll (a healthy long poll returns within about 70 s).
        extra: { PLAZOS_HEALTH_LOG_SECONDS: '5', PLAZOS_WORKER_STALL_SECONDS: '120' },
      };
      const usersFile = join(dir, 'oapla-users.yaml');
      writeFileSync(usersFile, `users:\n  - username: ${USER}\n    hash: "${hashPassword(PASSWORD)}"\n`);
      const [workerA, workerB] = await Promise.all([startWorker(env), startWorker(env)]);
      workers = [workerA, workerB];
      survivor = new Supervised(workerB, env);
      web = await startWebProcess(env, usersFile);

      // The seed's activities and 1,000 made from them (bench/plans.ts), every one begun on the last
      // business day and due in about two months: each owes its kickoff now and nothing else for weeks.
      const seed = await loadSeed();
      const today = new Date().toLocaleDateString('en-CA', { timeZone: 'America/Bogota' });
      const dates = { start: seed.calendar.previousBusinessDay(today), due: seed.calendar.addBusinessDays(today, 40) };
      const seedPlan = generatePlan(seed.plan, seed.plan.activities.length, { id: 'cluster-semilla', dates, recurrence: false });
      const bigPlan = generatePlan(seed.plan, 1000, { id: 'cluster-mil', dates, recurrence: false });
      const plans = [seedPlan, bigPlan];
      const expected = seedPlan.activities.length + bigPlan.activities.length;

      const browser = new Browser(web.origin);
      const login = await browser.get('/entrar');
      const signedIn = await browser.post('/entrar', { _csrf: csrfOf(login.body), usuario: USER, clave: PASSWORD, volver: '/' });
      expect(signedIn.statusCode).toBe(303);
      const probes = new Prober(
        cluster.client,
        browser,
        seedPlan.activities.map((a) => `${seedPlan.id}/${a.number}`),
        `/planes/${seedPlan.id}`,
      );
      prober = probes;

      const starting = Promise.all(plans.map((plan) => startPlan(cluster!.client, plan, seed.calendar, { taskQueue: TASK_QUEUE, searchAttributes: true })));
      await mail.waitFor(1, 5 * MINUTE);
      probes.start();

      // 1. One worker dies the moment the 100th kickoff is accepted; the other carries on.
      await mail.waitFor(100, 10 * MINUTE);
      const killed = await workerA.kill();
      const killedAt = Date.now();
      probes.phase = 'worker-killed';
      const recordedAtKill = await recordedInLedger(env);
      // What the dead worker had begun handing to the SMTP server still arrives (its kernel flushes
      // the socket) and is parsed later: give it a few seconds, then count it by when its DATA began.
      await new Promise((r) => setTimeout(r, 3000));
      const acceptedAtKill = new Set(mail.messages.filter((m) => m.dataStartedAt <= killedAt).map((m) => m.messageId));

      // 2. PostgreSQL restarted (fast shutdown: open connections cut) at the 350th.
      await mail.waitFor(350, 10 * MINUTE);
      probes.phase = 'postgres-down';
      const atPostgres = new Set(mail.messages.map((m) => m.messageId)).size;
      cluster.stopPostgres();
      cluster.startPostgres();
      probes.phase = 'postgres-recovering';
      await probes.recovered('the PostgreSQL restart');
      probes.phase = 'steady';

      // 3. The Temporal server stopped (SIGTERM) and started again at the 600th.
      await mail.waitFor(600, 10 * MINUTE);
      probes.phase = 'temporal-down';
      const atTemporal = new Set(mail.messages.map((m) => m.messageId)).size;
      await cluster.stopTemporal();
      await cluster.startTemporal();
      probes.phase = 'temporal-recovering';
      await probes.recovered('the Temporal server restart');
      probes.phase = 'after';

      const outcomes = (await starting).flat();
      expect(outcomes.filter((o) => o.result !== 'started')).toEqual([]);

      // Every kickoff arrives: as many distinct Message-IDs as activities (bounded wait).
      await eventually(
        () => Promise.resolve(new Set(mail!.messages.map((m) => m.messageId)).size),
        (n) => n >= expected,
        'every kickoff at the SMTP server',
        8 * MINUTE,
      ).catch(async (err: Error) => Promise.reject(new Error(`${err.message}\n${await pollers(cluster!.client)}`)));
      const retried: string[] = [];
      const receipts = (
        await Promise.all(plans.map((plan) => kickoffReceipts(cluster!.client, plan, retried))).catch(async (err: Error) =>
          Promise.reject(new Error(`${err.message}\n${await pollers(cluster!.client)}`)),
        )
      ).flat();
      await probes.stop();

      const received = countBy(mail.messages.map((m) => m.messageId));
      const summary = {
        expected,
        messages: mail.messages.length,
        distinct: received.size,
        duplicates: [...received.values()].filter((n) => n > 1).length,
        statusQueriesRetried: retried.length,
        survivorRestarts: survivor.restarts,
        faultsAt: { workerKill: acceptedAtKill.size, postgres: atPostgres, temporal: atTemporal },
        probes: Object.fromEntries(
          (['status', 'health', 'dashboard'] as const).map((what) => {
            const mine = probes.results.filter((r) => r.what === what);
            return [what, { sent: mine.length, failed: mine.filter((r) => !r.ok).map((r) => r.phase) }];
          }),
        ),
      };
      process.stderr.write(`[cluster] ${JSON.stringify(summary)}\n`);

      // The faults came while kickoffs were still going out, or the test proves nothing.
      expect(killed.signal).toBe('SIGKILL');
      expect(atTemporal).toBeLessThan(expected);
      // None missing, none unexpected: the SMTP server got exactly the Message-IDs the workflows hold as receipts.
      expect(new Set(receipts).size).toBe(expected);
      expect([...received.keys()].sort()).toEqual([...receipts].sort());
      expect(receipts.every((id) => id.endsWith(`@${MAIL_DOMAIN}>`))).toBe(true);
      // Sent twice only what the killed worker had handed to the SMTP server but not yet written in
      // its sent-ledger (activities/email/README.md, "The window that remains"), and never more than twice.
      const twice = [...received].filter(([, n]) => n > 1).map(([id]) => id);
      expect(twice.filter((id) => !acceptedAtKill.has(id) || recordedAtKill.has(id))).toEqual([]);
      expect([...received.values()].every((n) => n <= 2)).toBe(true);
      // The web app never went down, and outside the two outages (and the wait for the service to come
      // back after each) every status read and dashboard page answered.
      const outage: Phase[] = ['postgres-down', 'postgres-recovering', 'temporal-down', 'temporal-recovering'];
      expect(probes.results.filter((r) => r.what === 'health' && !r.ok)).toEqual([]);
      expect(probes.results.filter((r) => !r.ok && !outage.includes(r.phase))).toEqual([]);
      // The surviving worker (or the one its supervisor started in its place, listed in the summary)
      // and the web app are still up, and stop cleanly (exit code 0) on SIGTERM.
      expect(survivor.current.running()).toBe(true);
      // Docker gives the worker 60 s (stop_grace_period) before SIGKILL; so does this test.
      const last = survivor.current;
      expect(await exitWithin(survivor.stop(), () => void last.kill(), MINUTE)).toEqual({ code: 0, signal: null });
      expect(await exitWithin(web.stop(), () => web?.child.kill('SIGKILL'), MINUTE)).toEqual({ code: 0, signal: null });
    },
    45 * MINUTE,
  );
});
