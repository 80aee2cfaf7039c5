/**
 * Benchmark 3: the 08:00 burst. `count` activities whose kickoffs fall at the same instant, run
 * by the real worker (child process) against a local SMTP server; the figure is the time from
 * that instant to the last message received. Baseline: nodemailer's pooled transport (as
 * workers/deps.ts builds it) sending the same messages straight to a fresh SMTP server.
 *
 * At 08:00 in production every workflow has been asleep for days. Here they are started just
 * before the instant, so the run waits until the worker has run each one's first task (and set its
 * timer) before the instant comes; otherwise it would time the start of the plan, not the burst.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import nodemailer from 'nodemailer';
import { startPlan } from '../client/start-plan';
import { startMailCapture, type CapturedMail, type MailCapture } from '../simulation/mail-capture';
import { generatePlan, type Seed } from './plans';
import type { Figure } from './report';
import { backlog, startBenchServer, type BenchServer } from './servers';
import { pairedRatio, summarize } from './stats';
import { cpuNow, cpuPerMessage, formatCpuSplit, type CpuSplit } from './cpu';
import { BenchFailure, STALL_FLOOR_MS, waitForArrivals } from './wait';
import { spawnWorker, type WorkerProcess } from './worker-process';
import { PLAN_TIMEZONE } from '../calendar/policy';

const KICKOFF = '2023-03-01T08:00';
const TASK_QUEUE = 'bench-burst';

export interface BurstRun {
  seconds: number;
  received: number;
  messages: CapturedMail[];
  /** CPU per message from the instant to the last arrival, by process (bench/cpu.ts). */
  cpu?: CpuSplit;
  /** The 1-minute load average at the instant and after the last arrival: two sides compare only at like loads. */
  load?: { atInstant: number; atEnd: number };
}

/** The CPU readings and the load average at `at` (the burst's instant), taken while the caller waits for the messages. */
function cpuAt(at: number, server: BenchServer, worker: WorkerProcess, databasePid?: number): Promise<{ cpu: CpuSplit; load: number }> {
  return new Promise((resolve) =>
    setTimeout(() => resolve({ cpu: cpuNow(worker.pid, server.pid(), databasePid), load: loadavg()[0]! }), Math.max(0, at - Date.now())),
  );
}

const lastArrival = (messages: CapturedMail[]) => Math.max(...messages.map((m) => m.receivedAt));
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * When the instant falls: after the starts and every workflow's first task. A plazos first task
 * took ~50 ms of worker time on 2 busy cores; 90 ms each leaves room for a loaded machine, and up
 * to twice that when the load average says other work shares the cores (the instant cannot move
 * once the workflows are started with it; a longer lead is only waiting).
 */
function instantAfter(count: number): number {
  const busy = Math.min(2, Math.max(1, loadavg()[0]! / cpus().length));
  return Date.now() + 20_000 + Math.round(count * 90 * busy);
}

/** A Temporal server a burst runs on, with the task queue its workers poll: the dev server here, the cluster in bench/topology.ts. */
export interface BurstTarget {
  client: BenchServer['client'];
  taskQueue: string;
}

/** What the workers and the task queue were doing, for a failure message. */
export async function workerFacts(target: BurstTarget, workers: readonly WorkerProcess[]): Promise<string> {
  const [statuses, waiting] = await Promise.all([Promise.all(workers.map((w) => w.status())), backlog(target, target.taskQueue)]);
  const activations = statuses.reduce((n, s) => n + s.inFlightActivations, 0);
  const activities = statuses.reduce((n, s) => n + s.inFlightActivities, 0);
  const who = workers.length === 1 ? 'El worker tenía' : `Los ${workers.length} workers tenían`;
  return `${who} ${activations} activaciones y ${activities} actividades en curso; la cola, ${waiting} tareas de flujo pendientes`;
}

/** The messages of a burst: as long as they keep arriving (bench/wait.ts), however busy the machine. */
export function waitForBurst(what: string, mail: MailCapture, count: number, from: number, setupMs: number, diagnose?: () => Promise<string>): Promise<void> {
  // After the instant, the first message may take twice as long as the set-up did (a machine that slow is slow for both).
  return waitForArrivals(mail, count, { what, from, firstWithinMs: Math.max(STALL_FLOOR_MS, 2 * setupMs), diagnose });
}

/**
 * Resolves once the worker has nothing to do (no activation in flight, nothing waiting on the task
 * queue, twice in a row: both counts are approximate), so every workflow sleeps until the instant.
 */
export async function untilAsleep(target: BurstTarget, workers: readonly WorkerProcess[], fireAt: number, what: string, lead: string): Promise<void> {
  for (let quiet = 0; quiet < 2;) {
    if (Date.now() > fireAt - 1000) {
      throw new BenchFailure(
        `${what}: a la hora del envío el worker aún corría las primeras tareas de los flujos (${await workerFacts(target, workers)}); ` +
          `la máquina está más ocupada de lo que su carga media indicaba al empezar: vuelva a correrlo, o suba el margen de ${lead}.`,
      );
    }
    const [statuses, waiting] = await Promise.all([Promise.all(workers.map((w) => w.status())), backlog(target, target.taskQueue)]);
    quiet = statuses.every((s) => s.inFlightActivations === 0) && waiting === 0 ? quiet + 1 : 0;
    await pause(250);
  }
}

const ON_DEV_SERVER = (server: BenchServer): BurstTarget => ({ client: server.client, taskQueue: TASK_QUEUE });
const LEAD = 'instantAfter en bench/burst.ts';

/**
 * Where the worker of a burst keeps plazos's records: unset, as the environment says (SQLite in the
 * data dir by default); `{}`, SQLite in the data dir; a URL, that PostgreSQL database, whose
 * postmaster `databasePid` names so its CPU counts with the rest.
 */
export interface BurstRecords {
  url?: string;
  passwordFile?: string;
  databasePid?: number;
}

export async function plazosBurst(seed: Seed, count: number, run: number, records?: BurstRecords, what = `rafaga/${count} (plazos)`): Promise<BurstRun> {
  const server = await startBenchServer();
  const mail = await startMailCapture();
  const dataDir = mkdtempSync(join(tmpdir(), 'plazos-bench-data-'));
  const worker = await spawnWorker({
    mode: 'plazos',
    address: server.address,
    taskQueue: TASK_QUEUE,
    dataDir,
    smtpUrl: mail.url,
    maxCachedWorkflows: 2000,
    ...(records ? { records: { url: records.url, passwordFile: records.passwordFile } } : {}),
  });
  try {
    const plan = generatePlan(seed.plan, count, { id: `bench-rafaga-${run}`, dates: { start: '2023-03-01', due: '2023-06-30' }, recurrence: false });
    const setupStart = Date.now();
    const fireAt = instantAfter(count);
    const clockOffsetMs = DateTime.fromISO(KICKOFF, { zone: PLAN_TIMEZONE }).toMillis() - fireAt;
    await startPlan(server.client, plan, seed.calendar, { taskQueue: TASK_QUEUE, searchAttributes: true, clockOffsetMs });
    await untilAsleep(ON_DEV_SERVER(server), [worker], fireAt, 'rafaga', LEAD);
    const atInstant = cpuAt(fireAt, server, worker, records?.databasePid);
    await waitForBurst(what, mail, count, fireAt, Date.now() - setupStart, () => workerFacts(ON_DEV_SERVER(server), [worker]));
    const start = await atInstant;
    const cpu = cpuPerMessage(start.cpu, cpuNow(worker.pid, server.pid(), records?.databasePid), count);
    const load = { atInstant: start.load, atEnd: loadavg()[0]! };
    await pause(2000); // a duplicate would arrive within this; exactly `count` must be there
    return { seconds: (lastArrival(mail.messages) - fireAt) / 1000, received: mail.messages.length, messages: [...mail.messages], cpu, load };
  } finally {
    await worker.stop();
    await Promise.all([server.stop(), mail.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The same burst on Temporal without plazos: a timer, then one plain message per workflow (diagnostic). */
export async function temporalBurst(count: number): Promise<BurstRun> {
  const server = await startBenchServer();
  const mail = await startMailCapture();
  const dataDir = mkdtempSync(join(tmpdir(), 'plazos-bench-data-'));
  const worker = await spawnWorker({ mode: 'trivial', address: server.address, taskQueue: TASK_QUEUE, dataDir, smtpUrl: mail.url, maxCachedWorkflows: 2000 });
  try {
    const setupStart = Date.now();
    const fireAt = instantAfter(count);
    let next = 0;
    const one = async () => {
      for (let i = next++; i < count; i = next++) {
        await server.client.workflow.start('benchTimerThenMail', { taskQueue: TASK_QUEUE, workflowId: `bench-mail-${i + 1}`, args: [fireAt, i + 1] });
      }
    };
    await Promise.all(Array.from({ length: 16 }, one));
    await untilAsleep(ON_DEV_SERVER(server), [worker], fireAt, 'rafaga', LEAD);
    const atInstant = cpuAt(fireAt, server, worker);
    await waitForBurst(`rafaga/${count} (Temporal sin plazos)`, mail, count, fireAt, Date.now() - setupStart, () =>
      workerFacts(ON_DEV_SERVER(server), [worker]),
    );
    const start = await atInstant;
    const cpu = cpuPerMessage(start.cpu, cpuNow(worker.pid, server.pid()), count);
    const load = { atInstant: start.load, atEnd: loadavg()[0]! };
    await pause(2000);
    return { seconds: (lastArrival(mail.messages) - fireAt) / 1000, received: mail.messages.length, messages: [], cpu, load };
  } finally {
    await worker.stop();
    await Promise.all([server.stop(), mail.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function directBurst(messages: CapturedMail[]): Promise<BurstRun> {
  const mail = await startMailCapture();
  const transport = nodemailer.createTransport(`${mail.url}?pool=true`);
  try {
    const t0 = Date.now();
    await Promise.all(
      messages.map((m) =>
        transport.sendMail({ from: `Plazos <${m.from}>`, to: m.to, cc: m.cc, subject: m.subject, text: m.text, html: m.html, messageId: m.messageId }),
      ),
    );
    await waitForBurst(`rafaga/${messages.length} (nodemailer)`, mail, messages.length, t0, 0);
    await pause(2000);
    return { seconds: (lastArrival(mail.messages) - t0) / 1000, received: mail.messages.length, messages: [] };
  } finally {
    transport.close();
    await mail.close();
  }
}

export async function benchBurst(seed: Seed, count: number, runs: number, log: (m: string) => void): Promise<Figure[]> {
  const plazos: BurstRun[] = [];
  const direct: BurstRun[] = [];
  const bare: BurstRun[] = [];
  for (let run = 0; run < runs; run++) {
    const p = await plazosBurst(seed, count, run);
    const d = await directBurst(p.messages);
    const t = await temporalBurst(count);
    plazos.push(p);
    direct.push(d);
    bare.push(t);
    log(
      `rafaga/${count} corrida ${run + 1}: plazos ${p.seconds.toFixed(2)} s (${p.received} recibidos), nodemailer ${d.seconds.toFixed(2)} s (${d.received}), Temporal sin plazos ${t.seconds.toFixed(2)} s (${t.received})`,
    );
    if (p.cpu && t.cpu) log(`rafaga/${count} CPU por mensaje: plazos: ${formatCpuSplit(p.cpu)}; sin plazos: ${formatCpuSplit(t.cpu)}`);
  }
  const throughput = (rs: BurstRun[]) => rs.map((r) => count / r.seconds);
  return [
    {
      id: `rafaga/${count}`,
      label: `${count} avisos a las 08:00 hasta el último recibido`,
      unit: 'msj/s',
      measured: summarize(throughput(plazos)),
      baseline: summarize(throughput(direct)),
      baselineLabel: 'nodemailer pool directo',
      ratio: pairedRatio(throughput(plazos), throughput(direct)),
      target: { op: '>=', value: 0.7 },
      counts: { expected: count, received: plazos.map((r) => r.received) },
      notes: [
        `Recibidos por corrida: ${plazos.map((r) => r.received).join(', ')} (se esperan exactamente ${count}).`,
        `Segundos hasta el último: plazos ${summarize(plazos.map((r) => r.seconds)).median.toFixed(2)} s, nodemailer ${summarize(direct.map((r) => r.seconds)).median.toFixed(2)} s, Temporal sin plazos ${summarize(bare.map((r) => r.seconds)).median.toFixed(2)} s.`,
        `plazos frente a Temporal sin plazos (temporizador + 1 correo simple por flujo, mismo servidor de desarrollo): ${pairedRatio(throughput(plazos), throughput(bare)).median.toFixed(2)}x.`,
      ],
    },
    {
      id: `rafaga/${count}/frente-a-temporal`,
      label: `${count} avisos a las 08:00: plazos frente a flujos triviales (temporizador + 1 correo) en el mismo servidor`,
      unit: 'msj/s',
      measured: summarize(throughput(plazos)),
      baseline: summarize(throughput(bare)),
      baselineLabel: 'flujos triviales de Temporal',
      ratio: pairedRatio(throughput(plazos), throughput(bare)),
      target: { op: '>=', value: 0.9 },
      notes: [
        'Lo que cuesta el código de plazos por aviso (plantillas, .ics, registro de envíos, atributos de búsqueda) sobre lo que cuesta Temporal.',
        ...plazos.map(
          (p, i) =>
            `CPU por mensaje, corrida ${i + 1}: plazos: ${p.cpu ? formatCpuSplit(p.cpu) : 'n/d'}; sin plazos: ${bare[i]?.cpu ? formatCpuSplit(bare[i].cpu) : 'n/d'}.`,
        ),
      ],
    },
    {
      id: `rafaga/${count}/sin-plazos`,
      label: `diagnóstico: ${count} flujos triviales (temporizador + 1 correo) sin código de plazos`,
      unit: 'msj/s',
      measured: summarize(throughput(bare)),
      baseline: summarize(throughput(direct)),
      baselineLabel: 'nodemailer pool directo',
      ratio: pairedRatio(throughput(bare), throughput(direct)),
      counts: { expected: count, received: bare.map((r) => r.received) },
      notes: ['El techo que pone Temporal (servidor de desarrollo, SQLite) a cualquier ráfaga, con o sin plazos.'],
    },
  ];
}
