/**
 * A new user's quick start, run as the real command: `plazos up --demo` brings up the Temporal dev
 * server, the maildev inbox and the worker, starts the example plan, and stops everything on
 * SIGTERM; run again on the same data directory it resumes without sending a kickoff twice.
 * `plazos up` next to a Temporal server that already answers uses it and starts none.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { startMailCapture } from '../../simulation/mail-capture';
import { isListening, startDevServer } from '../../workers/dev-server';
import { statusQuery } from '../../workflows/shared';
import { BIN, buildCli, cliEnv, makeTempFolder, removeFolder, REPO, STACK_LINE } from './helpers';
import { eventually as poll } from '../helpers/eventually';
import { openToOthers } from '../helpers/modes';

const eventually = <T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string) => poll(read, ok, what, { timeoutMs: 30_000, everyMs: 200 });

const HOST = '127.0.0.1';
const READY = /^Listo\. /m;

interface Up {
  readonly child: ChildProcess;
  readonly output: { stdout: string; stderr: string };
  readonly exited: Promise<number | null>;
}

const started = new Set<Up>();

/** `plazos up ...args` in the background; its environment names every port, so nothing clashes. */
function startUp(args: string[], vars: Record<string, string>): Up {
  const env = cliEnv(vars);
  if (!vars.PLAZOS_SMTP_URL) delete env.PLAZOS_SMTP_URL;
  const child = spawn(process.execPath, [BIN, 'up', ...args], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output.stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output.stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const up = { child, output, exited };
  started.add(up);
  void exited.then(() => started.delete(up));
  return up;
}

/**
 * After a failure: SIGTERM lets `up` stop what it started; if it has not exited within 30 s, it
 * and its children are killed by their pids, so no Temporal server or maildev outlives the test.
 */
async function cleanUp(up: Up): Promise<void> {
  if (up.child.exitCode !== null || up.child.signalCode !== null) return;
  const pids = childPids(up.child.pid!);
  up.child.kill('SIGTERM');
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 30_000).unref());
  if ((await Promise.race([up.exited, timeout])) !== 'timeout') return;
  for (const pid of [up.child.pid!, ...pids]) if (alive(pid)) process.kill(pid, 'SIGKILL');
}

/** Waits (at most 90 s) for the "Listo." line; fails at once, with the output, if `up` exits first. */
async function ready(up: Up): Promise<string> {
  for (let i = 0; i < 900; i++) {
    if (READY.test(up.output.stdout)) return up.output.stdout;
    if (up.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await cleanUp(up);
  throw new Error(`plazos up did not say "Listo." (exit ${up.child.exitCode}):\n${up.output.stdout}\n${up.output.stderr}`);
}

/** The processes `up` started, read before it is stopped, to check afterwards that none is left. */
function childPids(pid: number): number[] {
  const ps = spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' });
  return ps.stdout
    .split('\n')
    .map((l) => Number(l.trim()))
    .filter((n) => n > 0);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const taken = new Set<number>();

/**
 * A free loopback port below the kernel's ephemeral range (32768 and up on Linux): a port the OS
 * hands out (closedPort) can be handed out again, between the probe and `up`'s listen, to one of
 * the ports the Temporal dev server picks for itself, and `up` then fails with EADDRINUSE.
 */
async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (taken.has(port) || !(await canListen(port))) continue;
    taken.add(port);
    return port;
  }
}

function canListen(port: number): Promise<boolean> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once('error', () => resolve(false));
    probe.listen(port, HOST, () => probe.close(() => resolve(true)));
  });
}

interface InboxMail {
  messageId: string;
  subject: string;
  to: { address: string }[];
  headers?: Record<string, string>;
}

/** Signs in to the dashboard as OAPLA would: the status of the answer (303 when it let them in). */
async function signsIn(port: number, user: string, password: string): Promise<number> {
  const form = await fetch(`http://${HOST}:${port}/entrar`);
  const cookie = form.headers.get('set-cookie')?.split(';')[0] ?? '';
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  const res = await fetch(`http://${HOST}:${port}/entrar`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ _csrf: csrf, usuario: user, clave: password }).toString(),
  });
  return res.status;
}

async function inbox(port: number): Promise<InboxMail[]> {
  const res = await fetch(`http://${HOST}:${port}/email`);
  if (!res.ok) throw new Error(`maildev answered ${res.status}`);
  return (await res.json()) as InboxMail[];
}

const isKickoff = (m: InboxMail) => m.subject.startsWith('Inicia la actividad');

async function withClient<T>(address: string, use: (client: Client) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address });
  try {
    return await use(new Client({ connection }));
  } finally {
    await connection.close();
  }
}

/** Every workflow of the plan, running or closed (the demo closes some: approved, missed). */
async function planWorkflowIds(client: Client, planId: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const wf of client.workflow.list({ query: `PlazosPlan = "${planId}"` })) ids.push(wf.workflowId);
  return [...new Set(ids)].sort();
}

/**
 * Waits until every running workflow of the plan is at rest (no workflow task and no activity in
 * flight: the worker has run or replayed it, and the kickoffs owed now are sent and recorded).
 * Returns how many kickoffs the workflows recorded.
 */
async function settled(client: Client, planId: string): Promise<number> {
  let ids: string[] = [];
  for (let round = 0; round < 10; round++) {
    let kickoffs = 0;
    for (const id of ids) {
      const handle = client.workflow.getHandle(id);
      await eventually(
        async () => (await handle.describe()).raw,
        (raw) => !raw.pendingWorkflowTask && (raw.pendingActivities?.length ?? 0) === 0,
        `${id} at rest`,
      );
      const status = await handle.query(statusQuery);
      if (status.kind === 'period') kickoffs += status.sent.filter((s) => s.kind === 'kickoff').length;
    }
    // A recurring activity starts its period workflows as it runs: look again until the list stays the same.
    const again = await planWorkflowIds(client, planId);
    if (again.length > 0 && again.join() === ids.join()) return kickoffs;
    ids = again;
  }
  throw new Error(`the workflows of ${planId} never settled`);
}

/**
 * SIGTERM, as Ctrl-C or a service manager; returns the exit code once `up` has exited, after
 * checking that the processes it had started (`children` of them) are gone and their ports closed.
 */
async function stop(up: Up, children: number, ports: number[]): Promise<number | null> {
  const pids = childPids(up.child.pid!);
  expect(pids).toHaveLength(children);
  up.child.kill('SIGTERM');
  const code = await up.exited;
  for (const port of ports)
    await eventually(
      () => isListening(HOST, port),
      (open) => !open,
      `port ${port} closed`,
    );
  expect(pids.filter(alive)).toEqual([]);
  return code;
}

type UpVars = {
  PLAZOS_DATA_DIR: string;
  TEMPORAL_ADDRESS: string;
  TEMPORAL_UI_PORT: string;
  PLAZOS_INBOX_SMTP_PORT: string;
  PLAZOS_INBOX_PORT: string;
  PORT: string;
  PLAZOS_TASK_QUEUE: string;
  PLAZOS_LOCALE: string;
};

let dir: string;
let temporalPort: number;
let uiPort: number;
let smtpPort: number;
let inboxPort: number;
let webPort: number;
let vars: UpVars;

beforeAll(async () => {
  await buildCli();
  dir = makeTempFolder();
  temporalPort = await freePort();
  uiPort = await freePort();
  smtpPort = await freePort();
  inboxPort = await freePort();
  // `up` also serves the web app: on a port of its own, not the default 3000 another run may hold.
  webPort = await freePort();
  vars = {
    PLAZOS_DATA_DIR: join(dir, 'datos'),
    TEMPORAL_ADDRESS: `${HOST}:${temporalPort}`,
    TEMPORAL_UI_PORT: String(uiPort),
    PLAZOS_INBOX_SMTP_PORT: String(smtpPort),
    PLAZOS_INBOX_PORT: String(inboxPort),
    PORT: String(webPort),
    PLAZOS_TASK_QUEUE: 'plazos-up-demo',
    PLAZOS_LOCALE: 'es',
  };
});

afterAll(async () => {
  await Promise.all([...started].map(cleanUp));
  removeFolder(dir);
});

describe('plazos up --demo, the quick start', () => {
  let planId = '';
  let activities = 0;
  let firstRun: InboxMail[] = [];

  it('brings up Temporal, the inbox and the worker, starts the demo plan, mails its kickoffs, and stops cleanly on SIGTERM', async () => {
    const up = startUp(['--demo'], vars);
    const stdout = await ready(up);
    expect(stdout).toContain(`Temporal:   ${HOST}:${temporalPort} (datos en ${join(vars.PLAZOS_DATA_DIR, 'temporal.db')})\n`);
    expect(stdout).toContain(`Temporal UI: http://${HOST}:${uiPort}\n`);
    expect(stdout).toContain(`Correo:     smtp://${HOST}:${smtpPort} · bandeja web http://${HOST}:${inboxPort}\n`);
    expect(stdout).toContain('Worker:     cola "plazos-up-demo", espacio "default"\n');
    const demo =
      /^Plan de demostración "([^"]+)" \(([a-z0-9-]+)\): hoy, (\d{4})-\d{2}-\d{2}, cae a mitad de su año; (\d+) actividades iniciadas, 0 ya lo estaban\.$/m.exec(
        stdout,
      );
    expect(demo).not.toBeNull();
    const [, title = '', id = '', year = ''] = demo!;
    planId = id;
    activities = Number(demo![4]);
    // Named and titled for the year it runs in.
    expect(title.endsWith(` ${year}`)).toBe(true);
    expect(planId).toBe(`demo-participacion-ciudadana-${year}`);
    expect(stdout).toContain(`Resumen semanal para OAPLA: programado (${planId}/digest).\n`);
    // Today is a cut of the demo plan: its follow-up report was taken, kept and mailed, and can be downloaded.
    expect(stdout).toMatch(
      new RegExp(
        `^Informe de seguimiento al corte de hoy \\(${year}-\\d{2}-\\d{2}, \\d+ actividades\\) conservado y enviado a OAPLA y Control Interno; descárguelo en http://[^ ]+/planes/${planId}/cortes$`,
        'm',
      ),
    );
    expect(stdout).toMatch(new RegExp(`^Informes de seguimiento a Control Interno en los cortes .*: programados \\(${planId}/cortes\\)\\.$`, 'm'));
    expect(activities).toBeGreaterThan(0);
    // The states a newcomer should see at once, reached through the workflows' own timers and updates.
    const states = /^Estados: (.*)\.$/m.exec(stdout)?.[1] ?? '';
    for (const state of ['escalada', 'en revisión', 'a tiempo', 'tarde', 'incumplida', 'en curso']) expect(states).toMatch(new RegExp(`\\d+ ${state}(,|$)`));
    // The dashboard opens with the sign-in it printed.
    const signIn = /usuario "([^"]+)", contraseña "([^"]+)"/.exec(stdout);
    expect(signIn).not.toBeNull();
    expect(await signsIn(webPort, signIn![1]!, signIn![2]!)).toBe(303);

    const recorded = await withClient<number>(vars.TEMPORAL_ADDRESS, async (client) => {
      const ids = await eventually(
        () => planWorkflowIds(client, planId),
        (list) => list.length >= activities,
        'the demo workflows listed',
      );
      for (let n = 1; n <= activities; n++) expect(ids).toContain(`${planId}/${n}`);
      return settled(client, planId);
    });
    firstRun = await eventually(
      () => inbox(inboxPort),
      (mails) => mails.filter(isKickoff).length >= recorded,
      'kickoffs in the inbox',
    );
    expect(recorded).toBeGreaterThan(0);
    expect(firstRun.filter(isKickoff)).toHaveLength(recorded);
    // Kickoffs, escalations, missed notices, evidence receipts, review requests, approvals, a rejection.
    const kinds = new Set(firstRun.map((m) => m.headers?.['x-plazos-notice']));
    for (const kind of ['kickoff', 'escalation', 'missed', 'evidence-received', 'review-requested', 'approved', 'rejected', 'follow-up-cut'])
      expect([kind, kinds.has(kind)]).toEqual([kind, true]);

    // Its two children: the Temporal dev server and maildev.
    expect(await stop(up, 2, [temporalPort, uiPort, smtpPort, inboxPort, webPort])).toBe(0);
    expect(up.output.stderr).not.toContain(STACK_LINE);
  });

  it('left a data directory no other local user can read: the Temporal history, the inbox mail, evidence and cut reports 0600 in 0700 folders', () => {
    const data = vars.PLAZOS_DATA_DIR;
    for (const kept of ['temporal.db', 'mail', 'blobs', 'plazos.sqlite']) expect([kept, existsSync(join(data, kept))]).toEqual([kept, true]);
    const mail = readdirSync(join(data, 'mail')).filter((f) => f.endsWith('.eml'));
    expect(mail.length).toBeGreaterThan(0);
    expect(openToOthers(data)).toEqual([]);
  });

  it('run again on the same data directory, resumes the demo activities without sending any kickoff twice', async () => {
    expect(firstRun.length).toBeGreaterThan(0);
    const up = startUp(['--demo'], vars);
    const stdout = await ready(up);
    expect(stdout).toContain(`(${planId}): hoy, `);
    expect(stdout).toContain(`; 0 actividades iniciadas, ${activities} ya lo estaban.\n`);
    expect(stdout).toContain(`Resumen semanal para OAPLA: ya estaba programado (${planId}/digest).\n`);

    const recorded = await withClient(vars.TEMPORAL_ADDRESS, (client) => settled(client, planId));
    // maildev reads back the mail it kept in the data directory as it starts.
    const mails = await eventually(
      () => inbox(inboxPort),
      (list) => list.length >= firstRun.length,
      'the kept mail reloaded',
    );
    const ids = mails.map((m) => m.messageId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(firstRun.map((m) => m.messageId)));
    const kickoffs = mails.filter(isKickoff);
    expect(kickoffs).toHaveLength(firstRun.filter(isKickoff).length);
    expect(new Set(kickoffs.map((m) => m.subject)).size).toBe(kickoffs.length);
    expect(recorded).toBe(kickoffs.length);
    // The demo's updates are not repeated: no second hand-in, approval or rejection.
    const count = (list: InboxMail[], kind: string) => list.filter((m) => m.headers?.['x-plazos-notice'] === kind).length;
    for (const kind of ['evidence-received', 'approved', 'rejected']) expect([kind, count(mails, kind)]).toEqual([kind, count(firstRun, kind)]);

    expect(await stop(up, 2, [temporalPort, uiPort, smtpPort, inboxPort, webPort])).toBe(0);
  });
});

describe('plazos up next to a Temporal server that already answers', () => {
  it('uses that server, starts none of its own, and leaves it running when stopped', async () => {
    const port = await freePort();
    const ui = await freePort();
    const web = await freePort();
    const server = await startDevServer({ host: HOST, port, dbFile: join(dir, 'propio', 'temporal.db') });
    const mail = await startMailCapture();
    const dataDir = join(dir, 'otro');
    const taskQueue = 'plazos-up-existente';
    try {
      const up = startUp([], {
        PLAZOS_DATA_DIR: dataDir,
        TEMPORAL_ADDRESS: server.address,
        TEMPORAL_UI_PORT: String(ui),
        PLAZOS_SMTP_URL: mail.url,
        PLAZOS_TASK_QUEUE: taskQueue,
        PORT: String(web),
      });
      const stdout = await ready(up);
      expect(stdout).toContain(`Temporal:   se usa el servidor que ya responde en ${server.address}\n`);
      expect(stdout).not.toContain('Temporal UI:');
      expect(existsSync(join(dataDir, 'temporal.db'))).toBe(false);
      expect(await isListening(HOST, ui)).toBe(false);
      // The worker of `up` polls the server that was already there.
      const pollers = await withClient(server.address, async (client) =>
        eventually(
          async () =>
            (
              await client.workflowService.describeTaskQueue({
                namespace: 'default',
                taskQueue: { name: taskQueue },
                taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
              })
            ).pollers ?? [],
          (list) => list.length > 0,
          'the worker polling',
        ),
      );
      expect(pollers.length).toBeGreaterThan(0);

      expect(await stop(up, 0, [web])).toBe(0);
      expect(await isListening(HOST, port)).toBe(true);
    } finally {
      await mail.close();
      await server.stop();
    }
  });
});
