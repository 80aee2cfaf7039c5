/**
 * The soak run: N activities across P plans, their kickoffs spread over a few minutes,
 * while the worker is SIGKILLed three times and the dev server is restarted once on its SQLite
 * file; a side loop asks random workflows for their status every second. At the end it counts, by
 * Message-ID at the SMTP server, what arrived against what the schedule owed, and lists the
 * workflows. Not part of `npm run bench`: one run takes ~20 minutes at the default size.
 *
 *   node dist/bench/soak.js [--activities N] [--plans P] [--spread-minutes M] [--out FILE]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import type { Client, Connection } from '@temporalio/client';
import { DateTime } from 'luxon';
import { messageIdFor, senderDomain } from '../activities/email/message-id';
import type { BusinessCalendar } from '../calendar/business-calendar';
import { planNotices } from '../calendar/schedule';
import { startPlan } from '../client/start-plan';
import { readStatus, type StatusReading } from '../client/status';
import { REPO_ROOT } from '../config/paths';
import { parseEnv } from '../config/schema';
import { PlanSchema, type Plan } from '../plans/model';
import { startMailCapture, type CapturedMail } from '../simulation/mail-capture';
import { activityWorkflowId, statusQuery } from '../workflows/shared';
import { generatePlan, loadSeed, type Seed } from './plans';
import { DB_DIR, startBenchServer, type BenchServer } from './servers';
import { median } from './stats';
import { spawnWorker, type WorkerProcess } from './worker-process';
import { PLAN_TIMEZONE } from '../calendar/policy';
import { sentMessageIds } from '../simulation/ledger';

const TASK_QUEUE = 'bench-soak';
/** The kickoffs' day; sendAt minutes 08:00, 08:01, ... spread them. Due months later: nothing else falls in the run. */
const DATES = { start: '2023-03-01', due: '2023-06-30' };
const ZONE = PLAN_TIMEZONE;
const QUERY_DEADLINE_MS = 10_000;
const QUIET_MS = 30_000;
/** A query sent this soon after a restarted worker said ready (or the server answered again) is counted apart: it is the backlog's turn. */
const RECOVERY_S = 15;

export interface SoakOptions {
  activities: number;
  plans: number;
  spreadMinutes: number;
  out: string;
}

export function parseSoakArgs(argv: string[], today: string): SoakOptions {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const int = (flag: string, fallback: number, max: number) => {
    const raw = value(flag);
    const n = raw === undefined ? fallback : Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`${flag} espera un entero entre 1 y ${max}.`);
    return n;
  };
  const activities = int('--activities', 10_000, 100_000);
  const plans = int('--plans', 5, activities);
  const spreadMinutes = int('--spread-minutes', 5, 60);
  return { activities, plans, spreadMinutes, out: value('--out') ?? join(REPO_ROOT, 'bench', 'results', `soak-${today}.json`) };
}

// ---- the plans, and what their schedule owes within the run ------------------------------------

/** `activities` split over `plans` plans (soak-1, soak-2, ...); activity i sends at 08:(i mod spread). */
export function soakPlans(seed: Plan, activities: number, plans: number, spreadMinutes: number): Plan[] {
  return Array.from({ length: plans }, (_, k) => {
    const count = Math.floor(activities / plans) + (k < activities % plans ? 1 : 0);
    const plan = generatePlan(seed, count, { id: `soak-${k + 1}`, dates: DATES, recurrence: false });
    const spread = plan.activities.map((a, i) => ({ ...a, policy: { ...a.policy, sendAt: `08:${String(i % spreadMinutes).padStart(2, '0')}` } }));
    return PlanSchema.parse({ ...plan, activities: spread });
  });
}

/**
 * Message-ID -> idempotency key of every notice scheduled in [fromMs, toMs] (workflow time). The key
 * is built as workflows/period.ts builds it (a plain activity's workflow, due-date revision 0), and
 * the Message-ID from the key as the worker does, so what arrives can be checked one by one.
 */
export function expectedNotices(plans: Plan[], calendar: BusinessCalendar, fromMs: number, toMs: number, domain: string): Map<string, string> {
  const expected = new Map<string, string>();
  for (const plan of plans) {
    for (const n of planNotices(plan, calendar)) {
      const at = Date.parse(n.at);
      if (at < fromMs || at > toMs) continue;
      const key = `${activityWorkflowId(plan.id, n.activity)}/${n.kind === 'kickoff' ? 'kickoff' : `0/${n.key}`}/${n.kind}`;
      expected.set(messageIdFor(key, domain), key);
    }
  }
  return expected;
}

// ---- the inbox, counted as it fills -------------------------------------------------------------

class Inbox {
  private read = 0;
  readonly copies = new Map<string, number>();
  constructor(
    readonly messages: CapturedMail[],
    private readonly expected: Map<string, string>,
  ) {}

  /** Distinct expected Message-IDs received so far. */
  delivered(): number {
    for (; this.read < this.messages.length; this.read++) {
      const id = (this.messages[this.read] as CapturedMail).messageId;
      this.copies.set(id, (this.copies.get(id) ?? 0) + 1);
    }
    let n = 0;
    for (const id of this.copies.keys()) if (this.expected.has(id)) n++;
    return n;
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(ok: () => boolean, deadline: number): Promise<boolean> {
  while (!ok()) {
    if (Date.now() > deadline) return false;
    await pause(500);
  }
  return true;
}

// ---- status queries on the side -----------------------------------------------------------------

interface Probe {
  start: number;
  end: number;
  ok: boolean;
  error?: string;
}

/** The client wraps the server's answer ("Failed to query Workflow"): the cause says why. */
function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  return err.cause instanceof Error ? `${err.message}: ${err.cause.message}` : err.message;
}

interface Read extends Probe {
  /** Who answered a status read: the worker within readStatus's own deadline, or the server's index after it. */
  source?: StatusReading['source'];
}

/** What one probe got back: the workflow that answered (null: none found) and, for a read, who answered. */
type Answer = { workflowId: string; source?: StatusReading['source'] } | null;

/** One probe a second to a random started workflow, each with its own deadline; never waits on the last. */
function startProbe(connection: Connection, ids: readonly string[], ask: (id: string) => Promise<Answer>): { stop(): Promise<Read[]> } {
  const pending: Promise<Read>[] = [];
  const one = async (): Promise<Read> => {
    const id = ids[Math.floor(Math.random() * ids.length)] as string;
    const start = Date.now();
    try {
      const answer = await connection.withDeadline(start + QUERY_DEADLINE_MS, () => ask(id));
      if (!answer) return { start, end: Date.now(), ok: false, error: 'flujo no encontrado' };
      const ok = answer.workflowId === id;
      return {
        start,
        end: Date.now(),
        ok,
        ...(answer.source ? { source: answer.source } : {}),
        ...(ok ? {} : { error: `respuesta de otro flujo: ${answer.workflowId}` }),
      };
    } catch (err) {
      return { start, end: Date.now(), ok: false, error: describeError(err) };
    }
  };
  const timer = setInterval(() => pending.push(one()), 1000);
  return {
    stop: async () => (clearInterval(timer), Promise.all(pending)),
  };
}

/** The raw status query: what the worker answers. */
function startStatusProbe(client: Client, connection: Connection, ids: readonly string[]): { stop(): Promise<Probe[]> } {
  return startProbe(connection, ids, async (id) => ({ workflowId: (await client.workflow.getHandle(id).query(statusQuery)).workflowId }));
}

/**
 * The same schedule through readStatus (client/status.ts), what the CLI and the web call: the
 * worker's answer within its 3 s deadline, else the server's index. The raw query measures the
 * worker; this measures what a person gets. Both run side by side, each with its own timer; the
 * outer 10 s deadline bounds the index's describe() too.
 */
function startReadProbe(client: Client, connection: Connection, ids: readonly string[]): { stop(): Promise<Read[]> } {
  return startProbe(connection, ids, async (id) => {
    const reading = await readStatus(client, id);
    if (!reading) return null;
    return { workflowId: reading.source === 'worker' ? reading.status.workflowId : reading.index.workflowId, source: reading.source };
  });
}

interface Window {
  from: number;
  to: number;
}

const overlaps = (p: Probe, ws: readonly Window[]) => ws.some((w) => p.start <= w.to && p.end >= w.from);

function sinceLastFault(p: Probe, windows: readonly Window[]): number | null {
  const ends = windows.filter((w) => w.to <= p.start).map((w) => w.to);
  return ends.length ? (p.start - Math.max(...ends)) / 1000 : null;
}

interface Minute {
  minute: number;
  queriesSent: number;
  queriesFailed: number;
  noticesReceived: number;
}

/** Per minute of the run: queries sent and failed, messages received; shows where failures cluster. */
function perMinute(t0: number, probes: readonly Probe[], messages: readonly CapturedMail[]): Minute[] {
  const minutes: Minute[] = [];
  const at = (ms: number) => {
    const m = Math.max(0, Math.floor((ms - t0) / 60_000));
    for (let i = minutes.length; i <= m; i++) minutes.push({ minute: i, queriesSent: 0, queriesFailed: 0, noticesReceived: 0 });
    return minutes[m] as Minute;
  };
  for (const p of probes) {
    const row = at(p.start);
    row.queriesSent++;
    if (!p.ok) row.queriesFailed++;
  }
  for (const m of messages) at(m.receivedAt).noticesReceived++;
  return minutes;
}

function summarizeProbes(probes: Probe[], serverDown: Window[], workerDown: Window[]) {
  const failed = probes.filter((p) => !p.ok);
  const duringServer = failed.filter((p) => overlaps(p, serverDown));
  const duringWorker = failed.filter((p) => !overlaps(p, serverDown) && overlaps(p, workerDown));
  const otherwise = failed.filter((p) => !overlaps(p, serverDown) && !overlaps(p, workerDown));
  const faults = [...serverDown, ...workerDown];
  const soonAfter = otherwise.filter((p) => (sinceLastFault(p, faults) ?? Infinity) <= RECOVERY_S);
  const latencies = probes
    .filter((p) => p.ok)
    .map((p) => p.end - p.start)
    .sort((a, b) => a - b);
  const pct = (q: number) => (latencies.length ? (latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] as number) : 0);
  return {
    sent: probes.length,
    ok: probes.length - failed.length,
    sentDuringServerOutage: probes.filter((p) => overlaps(p, serverDown)).length,
    failedDuringServerOutage: duringServer.length,
    failedDuringWorkerRestart: duringWorker.length,
    failedOtherwise: otherwise.length,
    failedOtherwiseSoonAfterFault: soonAfter.length,
    latencyMs: { p50: latencies.length ? median(latencies) : 0, p95: pct(0.95), max: latencies[latencies.length - 1] ?? 0 },
    // When each failure outside the faults came, in seconds after the end of the last fault before it.
    errorsOtherwise: otherwise.slice(0, 20).map((p) => ({ afterFaultS: sinceLastFault(p, faults), error: p.error })),
  };
}

/** The reads counted like the queries, plus who answered those that did. */
function summarizeReads(reads: Read[], serverDown: Window[], workerDown: Window[]) {
  const answered = reads.filter((r) => r.ok);
  const base = summarizeProbes(reads, serverDown, workerDown);
  return {
    ...base,
    byWorker: answered.filter((r) => r.source === 'worker').length,
    byIndex: answered.filter((r) => r.source === 'index').length,
    byIndexDuringWorkerRestart: answered.filter((r) => r.source === 'index' && overlaps(r, workerDown)).length,
  };
}

// ---- faults ---------------------------------------------------------------------------------------

interface Fault {
  kind: 'worker-sigkill' | 'server-restart';
  atS: number;
  deliveredBefore: number;
  downS: number;
  /** SIGKILL only: Message-IDs the SMTP server had accepted that the dead worker's sent-ledger did not hold. */
  acceptedNotRecorded?: string[];
}

interface Stack {
  server: BenchServer;
  worker: WorkerProcess;
  spawn(): Promise<WorkerProcess>;
  dataDir: string;
  domain: string;
  inbox: Inbox;
  t0: number;
  /** Message-IDs accepted but not in the ledger at some kill so far. */
  unrecorded: string[];
}

async function killWorker(s: Stack, workerDown: Window[]): Promise<Fault> {
  const from = Date.now();
  const deliveredBefore = s.inbox.delivered();
  await s.worker.kill();
  // Read after the exit: nothing can reach the SMTP server or the ledger from the dead worker now.
  const accepted = new Set(s.inbox.messages.map((m) => m.messageId));
  const recorded = await sentMessageIds({ dataDir: s.dataDir });
  s.worker = await s.spawn();
  workerDown.push({ from, to: Date.now() });
  // A message left unrecorded by an earlier kill waits a minute for its retry: that kill owns it.
  const earlier = new Set(s.unrecorded);
  const acceptedNotRecorded = [...accepted].filter((id) => !recorded.has(id) && !earlier.has(id));
  s.unrecorded.push(...acceptedNotRecorded);
  return { kind: 'worker-sigkill', atS: (from - s.t0) / 1000, deliveredBefore, downS: (Date.now() - from) / 1000, acceptedNotRecorded };
}

async function restartServer(s: Stack, serverDown: Window[]): Promise<Fault> {
  const from = Date.now();
  const deliveredBefore = s.inbox.delivered();
  await s.server.halt();
  await s.server.resume();
  serverDown.push({ from, to: Date.now() });
  return { kind: 'server-restart', atS: (from - s.t0) / 1000, deliveredBefore, downS: (Date.now() - from) / 1000 };
}

/** At these shares of the expected notices delivered: kill, kill, server restart, kill. */
const PLAN_OF_FAULTS: { share: number; kind: Fault['kind'] }[] = [
  { share: 0.15, kind: 'worker-sigkill' },
  { share: 0.35, kind: 'worker-sigkill' },
  { share: 0.55, kind: 'server-restart' },
  { share: 0.75, kind: 'worker-sigkill' },
];

async function injectFaults(s: Stack, expected: number, deadline: number, log: (m: string) => void) {
  const faults: Fault[] = [];
  const serverDown: Window[] = [];
  const workerDown: Window[] = [];
  let notBefore = 0;
  for (const step of PLAN_OF_FAULTS) {
    // A few seconds between faults, so each one happens while notices flow, not on the heels of the last.
    const due = await until(() => s.inbox.delivered() >= Math.ceil(step.share * expected) && Date.now() >= notBefore, deadline);
    if (!due) {
      log(`falla ${step.kind} omitida: no se llegó al ${step.share * 100} % de los avisos a tiempo`);
      continue;
    }
    const fault = step.kind === 'worker-sigkill' ? await killWorker(s, workerDown) : await restartServer(s, serverDown);
    log(`${fault.kind} con ${fault.deliveredBefore}/${expected} avisos recibidos; fuera de servicio ${fault.downS.toFixed(1)} s`);
    faults.push(fault);
    notBefore = Date.now() + 10_000;
  }
  return { faults, serverDown, workerDown };
}

// ---- counting at the end --------------------------------------------------------------------------

function countNotices(inbox: Inbox, expected: Map<string, string>, faults: Fault[]) {
  inbox.delivered();
  const windowIds = new Set(faults.flatMap((f) => f.acceptedNotRecorded ?? []));
  const twice = [...inbox.copies].filter(([, n]) => n > 1);
  const missing = [...expected.keys()].filter((id) => !inbox.copies.has(id));
  const unexpected = [...inbox.copies.keys()].filter((id) => !expected.has(id));
  return {
    expected: expected.size,
    received: inbox.messages.length,
    distinct: inbox.copies.size,
    duplicateIds: twice.length,
    extraCopies: twice.reduce((sum, [, n]) => sum + n - 1, 0),
    duplicatesInKillWindow: twice.filter(([id]) => windowIds.has(id)).length,
    duplicatesUnexplained: twice.filter(([id]) => !windowIds.has(id)).map(([id]) => expected.get(id) ?? id),
    acceptedNotRecordedAtKills: windowIds.size,
    missing: missing.length,
    missingKeys: missing.slice(0, 20).map((id) => expected.get(id)),
    unexpected: unexpected.length,
  };
}

async function countWorkflows(client: Client, plans: Plan[], started: Set<string>) {
  const listed = new Set<string>();
  let running = 0;
  for (const plan of plans) {
    for await (const wf of client.workflow.list({ query: `PlazosPlan = "${plan.id}"` })) {
      listed.add(wf.workflowId);
      if (wf.status.name === 'RUNNING') running++;
    }
  }
  const kickoffRecorded = (await client.workflow.count(`TaskQueue = "${TASK_QUEUE}" AND PlazosStatus = "active"`)).count;
  const notListed = [...started].filter((id) => !listed.has(id));
  return { started: started.size, listed: listed.size, running, kickoffRecorded, notListed: notListed.length, notListedIds: notListed.slice(0, 20) };
}

/** Waits until visibility counts `count` workflows past their kickoff (status "active"); logs it if they never are. */
async function waitForReceipts(client: Client, count: number, deadline: number, log: (m: string) => void): Promise<void> {
  const query = `TaskQueue = "${TASK_QUEUE}" AND PlazosStatus = "active"`;
  let seen = 0;
  while (Date.now() < deadline) {
    seen = (await client.workflow.count(query)).count;
    if (seen >= count) return;
    await pause(2000);
  }
  log(`solo ${seen} de ${count} flujos tienen registrado su aviso de inicio`);
}

// ---- the run --------------------------------------------------------------------------------------

async function startStack(domain: string, t0: number, expected: Map<string, string>) {
  const server = await startBenchServer();
  const mail = await startMailCapture();
  const dataDir = mkdtempSync(join(tmpdir(), 'plazos-soak-data-'));
  // Every worker of the run shares the data dir: it holds the sent-ledger a restarted worker must find.
  const spawn = () => spawnWorker({ mode: 'plazos', address: server.address, taskQueue: TASK_QUEUE, dataDir, smtpUrl: mail.url, maxCachedWorkflows: 2000 });
  try {
    const stack: Stack = { server, worker: await spawn(), spawn, dataDir, domain, inbox: new Inbox(mail.messages, expected), t0, unrecorded: [] };
    return { stack, mail };
  } catch (err) {
    await Promise.all([server.stop(), mail.close()]);
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}

function sampleLoad() {
  const samples: number[] = [loadavg()[0] as number];
  const timer = setInterval(() => samples.push(loadavg()[0] as number), 5000);
  return { stop: () => (clearInterval(timer), { start: samples[0] as number, max: Math.max(...samples), end: loadavg()[0] as number }) };
}

export async function runSoak(seed: Seed, opts: SoakOptions, log: (m: string) => void) {
  const t0 = Date.now();
  const load = sampleLoad();
  const domain = senderDomain(parseEnv().PLAZOS_MAIL_FROM);
  const plans = soakPlans(seed.plan, opts.activities, opts.plans, opts.spreadMinutes);
  // Starting should be over before the first kickoff: ~100 starts/s on an idle machine, ~50/s on a
  // busy one. A kickoff whose workflow starts late still goes out once, at once (period.ts catch-up).
  const fireAt = t0 + 30_000 + opts.activities * 25;
  const offset = DateTime.fromISO(`${DATES.start}T08:00`, { zone: ZONE }).toMillis() - fireAt;
  const deadline = fireAt + opts.spreadMinutes * 60_000 + Math.max(5 * 60_000, opts.activities * 300);
  const expected = expectedNotices(plans, seed.calendar, t0 + offset, deadline + offset, domain);
  const { stack, mail } = await startStack(domain, t0, expected);
  try {
    const started = new Set<string>();
    for (const plan of plans) {
      const outcomes = await startPlan(stack.server.client, plan, seed.calendar, { taskQueue: TASK_QUEUE, searchAttributes: true, clockOffsetMs: offset });
      for (const o of outcomes) if (o.result === 'started') started.add(o.workflowId);
      log(`plan ${plan.id}: ${outcomes.length} flujos iniciados`);
    }
    const startedS = (Date.now() - t0) / 1000;
    if (Date.now() > fireAt) log('AVISO: el inicio de los planes terminó después del primer aviso; esos avisos salen al ponerse al día');
    const probe = startStatusProbe(stack.server.client, stack.server.connection, [...started]);
    const reader = startReadProbe(stack.server.client, stack.server.connection, [...started]);
    const { faults, serverDown, workerDown } = await injectFaults(stack, expected.size, deadline, log);
    const allIn = await until(() => stack.inbox.delivered() >= expected.size, deadline);
    const lastS = (Date.now() - t0) / 1000;
    log(allIn ? `todos los ${expected.size} avisos recibidos` : `plazo vencido con ${stack.inbox.delivered()}/${expected.size} avisos`);
    // Once every workflow holds its kickoff's receipt, no attempt is under way that could still send a copy.
    await waitForReceipts(stack.server.client, started.size, Date.now() + 5 * 60_000, log);
    await pause(QUIET_MS);
    const [probes, reads] = await Promise.all([probe.stop(), reader.stop()]);
    const notices = countNotices(stack.inbox, expected, faults);
    const workflows = await countWorkflows(stack.server.client, plans, started);
    return {
      date: new Date().toISOString(),
      command: `node dist/bench/soak.js ${process.argv.slice(2).join(' ')}`.trim(),
      machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, sqliteDir: DB_DIR, load: load.stop() },
      options: { activities: opts.activities, plans: opts.plans, spreadMinutes: opts.spreadMinutes },
      seconds: { plansStarted: startedS, firstNotice: (fireAt - t0) / 1000, lastNotice: lastS, wall: (Date.now() - t0) / 1000 },
      notices,
      workflows,
      statusQueries: summarizeProbes(probes, serverDown, workerDown),
      statusReads: summarizeReads(reads, serverDown, workerDown),
      perMinute: perMinute(t0, probes, stack.inbox.messages),
      faults,
    };
  } finally {
    await stack.worker.stop();
    await Promise.all([stack.server.stop(), mail.close()]);
    rmSync(stack.dataDir, { recursive: true, force: true });
  }
}

export type SoakReport = Awaited<ReturnType<typeof runSoak>>;

const FAULT_LABELS: Record<Fault['kind'], string> = { 'worker-sigkill': 'SIGKILL al worker', 'server-restart': 'reinicio del servidor (SIGTERM)' };

/** Two columns, in Spanish: what the people running the soak read. */
export function formatSoakTable(r: SoakReport): string {
  const n = r.notices;
  const w = r.workflows;
  const q = r.statusQueries;
  const s = r.statusReads;
  const rows: [string, string][] = [
    ['avisos esperados (calendario en la ventana)', String(n.expected)],
    ['mensajes recibidos', String(n.received)],
    ['Message-ID distintos', String(n.distinct)],
    ['Message-ID duplicados (copias de más)', `${n.duplicateIds} (${n.extraCopies})`],
    ['  de ellos, aceptados sin registrar al SIGKILL', String(n.duplicatesInKillWindow)],
    ['  de ellos, sin explicación', String(n.duplicatesUnexplained.length)],
    ['avisos faltantes', String(n.missing)],
    ['mensajes no esperados', String(n.unexpected)],
    ['flujos iniciados / listados', `${w.started} / ${w.listed}`],
    ['flujos en ejecución / con aviso de inicio registrado', `${w.running} / ${w.kickoffRecorded}`],
    ['consultas de estado enviadas / respondidas', `${q.sent} / ${q.ok}`],
    ['  fallidas con el servidor caído (de las enviadas entonces)', `${q.failedDuringServerOutage} (${q.sentDuringServerOutage})`],
    ['  fallidas mientras el worker reiniciaba', String(q.failedDuringWorkerRestart)],
    ['  fallidas fuera de las fallas (en los 15 s tras una)', `${q.failedOtherwise} (${q.failedOtherwiseSoonAfterFault})`],
    ['  latencia respondidas p50 / p95 / máx', `${q.latencyMs.p50} / ${q.latencyMs.p95} / ${q.latencyMs.max} ms`],
    ['lecturas de estado (plazos status, web) enviadas / respondidas en 10 s', `${s.sent} / ${s.ok}`],
    ['  respondidas por el worker / por el índice del servidor', `${s.byWorker} / ${s.byIndex}`],
    ['  fallidas con el servidor caído (de las enviadas entonces)', `${s.failedDuringServerOutage} (${s.sentDuringServerOutage})`],
    ['  fallidas con el servidor arriba', String(s.failedDuringWorkerRestart + s.failedOtherwise)],
    ['  latencia respondidas p50 / p95 / máx', `${s.latencyMs.p50} / ${s.latencyMs.p95} / ${s.latencyMs.max} ms`],
    ...r.faults.map((f): [string, string] => [
      `falla a los ${f.atS.toFixed(0)} s: ${FAULT_LABELS[f.kind]}`,
      `${f.deliveredBefore} avisos antes; ${f.downS.toFixed(1)} s fuera${f.acceptedNotRecorded ? `; ${f.acceptedNotRecorded.length} aceptados sin registrar` : ''}`,
    ]),
    [
      'planes iniciados / primer aviso / último aviso / total',
      `${r.seconds.plansStarted.toFixed(0)} / ${r.seconds.firstNotice.toFixed(0)} / ${r.seconds.lastNotice.toFixed(0)} / ${r.seconds.wall.toFixed(0)} s`,
    ],
    [
      'carga (1 min) inicio / máx / fin',
      `${r.machine.load.start.toFixed(2)} / ${r.machine.load.max.toFixed(2)} / ${r.machine.load.end.toFixed(2)} (${r.machine.cpus} núcleos)`,
    ],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)} | ${v}`).join('\n');
}

/** What the run must show, each broken promise in a sentence (empty: it holds). */
export function verdict(r: SoakReport): string[] {
  const out: string[] = [];
  if (r.notices.missing > 0) out.push(`${r.notices.missing} avisos no llegaron`);
  if (r.notices.duplicatesUnexplained.length > 0) out.push(`${r.notices.duplicatesUnexplained.length} duplicados fuera de la ventana de un SIGKILL`);
  if (r.notices.unexpected > 0) out.push(`${r.notices.unexpected} mensajes que el calendario no preveía`);
  if (r.workflows.notListed > 0) out.push(`${r.workflows.notListed} flujos iniciados no aparecen en la lista`);
  const q = r.statusQueries;
  if (q.failedDuringWorkerRestart + q.failedOtherwise > 0)
    out.push(`${q.failedDuringWorkerRestart + q.failedOtherwise} consultas de estado fallaron con el servidor arriba`);
  const reads = r.statusReads;
  if (reads.failedDuringWorkerRestart + reads.failedOtherwise > 0)
    out.push(`${reads.failedDuringWorkerRestart + reads.failedOtherwise} lecturas de estado no respondieron en 10 s con el servidor arriba`);
  return out;
}

async function main(): Promise<void> {
  const opts = parseSoakArgs(process.argv.slice(2), new Date().toISOString().slice(0, 10));
  const t0 = Date.now();
  const log = (m: string) => process.stderr.write(`[soak ${((Date.now() - t0) / 1000).toFixed(0)} s] ${m}\n`);
  log(`${opts.activities} actividades en ${opts.plans} planes; avisos repartidos en ${opts.spreadMinutes} min`);
  const report = await runSoak(await loadSeed(), opts, log);
  mkdirSync(dirname(opts.out), { recursive: true });
  writeFileSync(opts.out, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`${formatSoakTable(report)}\n\nResultados en ${opts.out}\n`);
  const failures = verdict(report);
  process.stdout.write(
    failures.length
      ? `NO cumple: ${failures.join('; ')}.\n`
      : 'Cumple: cada aviso llegó, ningún flujo se perdió y las consultas respondieron fuera de la caída del servidor.\n',
  );
  process.exitCode = failures.length ? 1 : 0;
}

if (require.main === module) {
  main().then(
    () => process.exit(),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
