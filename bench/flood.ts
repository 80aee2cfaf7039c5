/**
 * Benchmark `avalancha`: OAPLA's extension and the area's evidence after a flood of progress reports
 * on one activity. A security test once sent ~2,500 reports through one link (~25/s); the workflow
 * reached Temporal's 2,000 updates per run and every update after, OAPLA's too, was refused for good.
 * Two bounds now stand in the way, and each phase floods one of them:
 *
 * - `enlace`: the reports go through the web app (built in this process, served over HTTP), through
 *   ONE link, as fast as one client with a few connections can; the request limit per address
 *   (web/app.ts) and the write gate per link and per activity (client/write-gate.ts) answer first.
 * - `flujo`: the reports go straight to the workflow with the client, as many web apps or senders
 *   together would; the workflow continues as new every 500 accepted updates and refuses the areas'
 *   past 1,000 in one run (workflows/continue-as-new.ts).
 *
 * After each flood, OAPLA extends the flooded activity's deadline (timed: the measured figure) and
 * a quiet activity's (the baseline), in pairs that alternate which goes first; then the area hands in
 * a PDF through another link of the flooded activity, which must be received. The workflows run on
 * the real worker (child process, SMTP to a local capture) on a fresh dev server.
 *
 * The web app trusts loopback as its reverse proxy (PLAZOS_TRUST_PROXY) and each party sends its
 * own X-Forwarded-For: in production the flooder, the area and OAPLA come from different addresses,
 * and the request limit counts per address.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { DateTime } from 'luxon';
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import { createEvidenceStore } from '../activities/evidence';
import { signEvidenceToken } from '../activities/email/links';
import { PLAN_TIMEZONE } from '../calendar/policy';
import { refusedForNow, tryUpdate } from '../client/operations';
import { startPlan } from '../client/start-plan';
import { startMailCapture, type MailCapture } from '../simulation/mail-capture';
import { createLocalBlobStore } from '../store/blobs';
import { openRecords, type Records } from '../store/records';
import { buildApp } from '../web/app';
import { activityWorkflowId, extendDeadlineUpdate, reportProgressUpdate, reviewUpdate, statusQuery, type PeriodStatusView } from '../workflows/shared';
import type { BusinessCalendar } from '../calendar/business-calendar';
import { generatePlan, type Seed } from './plans';
import type { Figure } from './report';
import { startBenchServer, type BenchServer } from './servers';
import { pairedRatio, summarize } from './stats';
import { BenchFailure } from './wait';
import { spawnWorker, type WorkerProcess } from './worker-process';

const TASK_QUEUE = 'bench-avalancha';
const PLAN_ID = 'bench-avalancha';
/** Documentation addresses (RFC 5737): the flooder, the area and nobody else's. */
const FLOODER = '203.0.113.66';
const AREA = '198.51.100.7';
/** Connections of the one client that floods the link: a browser opens about six per host. */
const LINK_CONCURRENCY = 6;
/** Updates in flight at once on the workflow: under the server's 10 per workflow, as several senders would be. */
const FLOW_CONCURRENCY = 8;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

export interface FloodSizes {
  /** Progress reports sent in each phase. */
  reports: number;
  /** Pairs of extensions (flooded activity, quiet activity) after each flood. */
  pairs: number;
}

/** Activity numbers in the plan: one flooded per phase, one quiet for the baseline. */
const ACTIVITY = { enlace: 1, flujo: 2, quiet: 3 } as const;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Rig {
  server: BenchServer;
  mail: MailCapture;
  worker: WorkerProcess;
  records: Records;
  app: FastifyInstance;
  origin: string;
  secret: Buffer;
  calendar: BusinessCalendar;
  /** The due date in force of each activity, as this run has moved it. */
  due: Map<number, string>;
  area: Map<number, string>;
}

async function periodStatus(client: Client, n: number): Promise<PeriodStatusView> {
  const s = await client.workflow.getHandle(activityWorkflowId(PLAN_ID, n)).query(statusQuery);
  if (s.kind !== 'period') throw new BenchFailure(`avalancha: la actividad ${n} no es de un solo periodo (${s.kind}).`);
  return s;
}

/** Resolves once activity `n` shows `status`; a BenchFailure names what it showed instead. */
async function untilStatus(client: Client, n: number, status: string, withinMs: number): Promise<void> {
  const until = Date.now() + withinMs;
  let seen = '';
  while (Date.now() < until) {
    try {
      seen = (await periodStatus(client, n)).status;
      if (seen === status) return;
    } catch (err) {
      if (err instanceof BenchFailure) throw err;
      seen = err instanceof Error ? err.message : String(err);
    }
    await pause(250);
  }
  throw new BenchFailure(`avalancha: la actividad ${n} no llegó a "${status}" en ${withinMs / 1000} s (último estado: ${seen}).`);
}

/** OAPLA's extension as the dashboard and the CLI send it (tryUpdate), timed; refused is a failure. */
async function extend(rig: Rig, n: number, what: string): Promise<number> {
  const newDue = rig.calendar.addBusinessDays(rig.due.get(n) as string, 1);
  const handle = rig.server.client.workflow.getHandle(activityWorkflowId(PLAN_ID, n));
  const t0 = performance.now();
  const out = await tryUpdate(() => handle.executeUpdate(extendDeadlineUpdate, { args: [{ newDue, reason: `Prórroga del banco (${what})` }] }));
  const seconds = (performance.now() - t0) / 1000;
  if (!out.ok) throw new BenchFailure(`avalancha/${what}: la actividad no aceptó la prórroga de la OAPLA: ${out.message}`);
  rig.due.set(n, newDue);
  return seconds;
}

/** Pairs of extensions, flooded and quiet, alternating which goes first (the first pair starts with the flooded one). */
async function extensionPairs(rig: Rig, flooded: number, pairs: number, what: string): Promise<{ measured: number[]; baseline: number[] }> {
  const measured: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < pairs; i++) {
    if (i % 2 === 0) {
      measured.push(await extend(rig, flooded, what));
      baseline.push(await extend(rig, ACTIVITY.quiet, `${what}, línea base`));
    } else {
      baseline.push(await extend(rig, ACTIVITY.quiet, `${what}, línea base`));
      measured.push(await extend(rig, flooded, what));
    }
  }
  return { measured, baseline };
}

/** A link to activity `n` for its area, valid until a while after its due date, as a notice carries one. */
function linkTo(rig: Rig, n: number): string {
  const expires = rig.calendar.addBusinessDays(rig.due.get(n) as string, 30);
  return `/evidencia/${signEvidenceToken({ workflowId: activityWorkflowId(PLAN_ID, n), area: rig.area.get(n) as string, expires }, rig.secret)}`;
}

/** One browser at one address: its own cookies (the CSRF secret), over keep-alive connections. */
function browser(origin: string, address: string) {
  const cookies = new Map<string, string>();
  return async (path: string, body?: FormData): Promise<{ status: number; body: string }> => {
    const res = await fetch(`${origin}${path}`, {
      method: body ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { 'x-forwarded-for': address, cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      ...(body ? { body } : {}),
    });
    const text = await res.text();
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const i = pair.indexOf('=');
      if (pair.slice(i + 1) === '' || /Max-Age=0/i.test(line)) cookies.delete(pair.slice(0, i));
      else cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
    return { status: res.status, body: text };
  };
}

const csrfOf = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)?.[1];

/** What the link flood's reports were answered, by status and, for a 429, by which bound said it. */
interface LinkCounts {
  accepted: number;
  writeGate: number;
  requestLimit: number;
  staleForm: number;
  other: Record<string, number>;
  /** Form loads (GET) the client needed, and how many of them were refused. */
  formLoads: number;
  formLoadsRefused: number;
  seconds: number;
}

async function floodLink(rig: Rig, link: string, reports: number): Promise<LinkCounts> {
  const counts: LinkCounts = { accepted: 0, writeGate: 0, requestLimit: 0, staleForm: 0, other: {}, formLoads: 0, formLoadsRefused: 0, seconds: 0 };
  let next = 0;
  const lane = async () => {
    const go = browser(rig.origin, FLOODER);
    let token: string | undefined;
    let fresh = false;
    for (let i = next++; i < reports; i = next++) {
      // A new form only when the last one was spent (accepted or expired): the token of a refused
      // post stays good, so a flooder keeps sending it.
      if (!fresh) {
        counts.formLoads++;
        const form = await go(link);
        const t = form.status === 200 ? csrfOf(form.body) : undefined;
        if (t) {
          token = t;
          fresh = true;
        } else counts.formLoadsRefused++;
      }
      const body = new FormData();
      body.append('_csrf', token ?? '');
      body.append('progress', String(i % 101));
      const res = await go(link, body);
      if (res.status === 200) {
        counts.accepted++;
        fresh = false;
      } else if (res.status === 429 && res.body.includes('Demasiadas solicitudes')) counts.requestLimit++;
      else if (res.status === 429) counts.writeGate++;
      else if (res.status === 403 && res.body.includes('Formulario vencido')) {
        counts.staleForm++;
        fresh = false;
      } else counts.other[res.status] = (counts.other[res.status] ?? 0) + 1;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: LINK_CONCURRENCY }, lane));
  counts.seconds = (performance.now() - t0) / 1000;
  return counts;
}

/** The area hands in a small PDF through `link` from its own address; the page it gets back, in short. */
async function handInEvidence(rig: Rig, link: string, address: string): Promise<{ status: number; received: boolean; said: string }> {
  const go = browser(rig.origin, address);
  const form = await go(link);
  const token = form.status === 200 ? csrfOf(form.body) : undefined;
  if (!token) return { status: form.status, received: false, said: `el formulario respondió ${form.status}: ${titleOf(form.body)}` };
  const body = new FormData();
  body.append('_csrf', token);
  body.append('note', 'Informe final del banco');
  body.append('archivo', new Blob([PDF], { type: 'application/pdf' }), 'informe.pdf');
  const res = await go(link, body);
  return { status: res.status, received: res.status === 200 && res.body.includes('Evidencia recibida'), said: titleOf(res.body) };
}

/** The page's heading, and its error or message when it has one. */
const titleOf = (page: string) =>
  [/<h1[^>]*>([^<]*)</.exec(page)?.[1], /<p class="(?:error|message)"[^>]*>([^<]*)</.exec(page)?.[1]]
    .filter((s): s is string => Boolean(s?.trim()))
    .map((s) => s.trim())
    .join(': ');

function requireEvidence(what: string, out: { status: number; received: boolean; said: string }): void {
  if (!out.received) throw new BenchFailure(`avalancha/${what}: la evidencia del área por otro enlace no se recibió (${out.status}: ${out.said}).`);
}

/** Runs of a workflow id, and the progress reports each accepted, read from their histories. */
async function runsOf(client: Client, n: number): Promise<{ runs: number; progressAccepted: number; historyEvents: number[] }> {
  const workflowId = activityWorkflowId(PLAN_ID, n);
  const runIds: string[] = [];
  for await (const w of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runIds.push(w.runId);
  let progressAccepted = 0;
  const historyEvents: number[] = [];
  for (const runId of runIds) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events = history.events ?? [];
    historyEvents.push(events.length);
    progressAccepted += events.filter(
      (e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === reportProgressUpdate.name,
    ).length;
  }
  return { runs: runIds.length, progressAccepted, historyEvents };
}

/** Visibility lags the runs a little: read until the count of runs holds still. */
async function settledRuns(client: Client, n: number): Promise<Awaited<ReturnType<typeof runsOf>>> {
  let last = await runsOf(client, n);
  for (let i = 0; i < 20; i++) {
    await pause(500);
    const now = await runsOf(client, n);
    if (now.runs === last.runs && now.progressAccepted === last.progressAccepted) return now;
    last = now;
  }
  return last;
}

interface FlowCounts {
  accepted: number;
  /** The workflow's own refusal (its validator), by message. */
  refused: Record<string, number>;
  /** The server's "not now" (refusedForNow), after the client's own retries. */
  transient: number;
  other: Record<string, number>;
  seconds: number;
}

/** Progress reports straight to the workflow, no retry beyond the client's own: what a flood gets in. */
async function floodWorkflow(rig: Rig, n: number, reports: number): Promise<FlowCounts> {
  const counts: FlowCounts = { accepted: 0, refused: {}, transient: 0, other: {}, seconds: 0 };
  const handle = rig.server.client.workflow.getHandle(activityWorkflowId(PLAN_ID, n));
  const area = rig.area.get(n) as string;
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < reports; i = next++) {
      try {
        await handle.executeUpdate(reportProgressUpdate, { args: [{ percent: i % 101, reportedBy: area, via: 'web' }] });
        counts.accepted++;
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError) {
          const said = err.cause?.message ?? err.message;
          counts.refused[said] = (counts.refused[said] ?? 0) + 1;
        } else if (refusedForNow(err)) counts.transient++;
        else {
          const said = err instanceof Error ? err.message : String(err);
          counts.other[said] = (counts.other[said] ?? 0) + 1;
        }
      }
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: FLOW_CONCURRENCY }, lane));
  counts.seconds = (performance.now() - t0) / 1000;
  return counts;
}

const sumOf = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
const listOf = (r: Record<string, number>) =>
  Object.entries(r)
    .map(([k, v]) => `${v} × ${k}`)
    .join('; ') || 'ninguno';
const ms = (s: number) => `${(s * 1000).toFixed(0)} ms`;

async function startRig(seed: Seed, dataDir: string, webDir: string): Promise<Rig> {
  const server = await startBenchServer();
  const mail = await startMailCapture();
  let worker: WorkerProcess | undefined;
  let records: Records | undefined;
  try {
    worker = await spawnWorker({
      mode: 'plazos',
      address: server.address,
      taskQueue: TASK_QUEUE,
      dataDir,
      smtpUrl: mail.url,
      maxCachedWorkflows: 100,
      records: {},
    });
    // The worker's blob directory, as two hosts share one bucket: the worker checks what the app stored.
    const store = createEvidenceStore(createLocalBlobStore({ dir: join(dataDir, 'blobs'), logger: pino({ level: 'silent' }) }));
    records = await openRecords({ dataDir: webDir });
    const secret = Buffer.alloc(32, 3);
    const app = await buildApp(
      { client: server.client, store, secret, users: new Map(), baseUrl: 'http://127.0.0.1', now: () => Date.now(), maxUploadBytes: 1024 * 1024, records },
      { trustProxy: ['127.0.0.1'] },
    );
    const origin = await app.listen({ port: 0, host: '127.0.0.1' });

    // Begun yesterday and due in 30 business days (bench/sessions.ts's plan): each kickoff goes out at once.
    const today = DateTime.now().setZone(PLAN_TIMEZONE).toISODate()!;
    const dates = { start: seed.calendar.previousBusinessDay(today), due: seed.calendar.addBusinessDays(today, 30) };
    const plan = generatePlan(seed.plan, 4, { id: PLAN_ID, recurrence: false, dates });
    await startPlan(server.client, plan, seed.calendar, { taskQueue: TASK_QUEUE, searchAttributes: true });
    const rig: Rig = {
      server,
      mail,
      worker,
      records,
      app,
      origin,
      secret,
      calendar: seed.calendar,
      due: new Map(plan.activities.map((a) => [a.number, dates.due])),
      area: new Map(plan.activities.map((a) => [a.number, a.responsible[0] as string])),
    };
    for (const n of Object.values(ACTIVITY)) await untilStatus(server.client, n, 'active', 120_000);
    return rig;
  } catch (err) {
    await worker?.stop();
    await records?.close();
    await Promise.all([server.stop(), mail.close()]);
    throw err;
  }
}

async function stopRig(rig: Rig): Promise<void> {
  await rig.app.close();
  await rig.records.close();
  await rig.worker.stop();
  await Promise.all([rig.server.stop(), rig.mail.close()]);
}

export async function benchFlood(seed: Seed, sizes: FloodSizes, log: (m: string) => void): Promise<Figure[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'plazos-bench-avalancha-'));
  const webDir = mkdtempSync(join(tmpdir(), 'plazos-bench-avalancha-web-'));
  const rig = await startRig(seed, dataDir, webDir);
  try {
    // One untimed extension each: the first update of a workflow the worker has not cached replays it.
    await extend(rig, ACTIVITY.enlace, 'calentamiento');
    await extend(rig, ACTIVITY.flujo, 'calentamiento');
    await extend(rig, ACTIVITY.quiet, 'calentamiento');

    // ---- enlace: through the web app, one link ----
    const link = linkTo(rig, ACTIVITY.enlace);
    const viaLink = await floodLink(rig, link, sizes.reports);
    log(
      `avalancha/enlace: ${sizes.reports} reportes por un enlace en ${viaLink.seconds.toFixed(1)} s: ${viaLink.accepted} aceptados, ` +
        `${viaLink.writeGate} 429 del límite de escritura, ${viaLink.requestLimit} 429 del límite por dirección, ${viaLink.staleForm} formularios vencidos, otros: ${listOf(viaLink.other)}`,
    );
    // The flooder's address right after: still inside the request limit's window?
    const sameAddress = await browser(rig.origin, FLOODER)(linkTo(rig, ACTIVITY.enlace));
    const linkExt = await extensionPairs(rig, ACTIVITY.enlace, sizes.pairs, 'enlace');
    const linkEvidence = await handInEvidence(rig, linkTo(rig, ACTIVITY.enlace), AREA);
    log(`avalancha/enlace: evidencia del área por otro enlace: ${linkEvidence.status} ${linkEvidence.said}`);
    requireEvidence('enlace', linkEvidence);
    const linkRuns = await settledRuns(rig.server.client, ACTIVITY.enlace);

    // ---- flujo: straight to the workflow ----
    const viaFlow = await floodWorkflow(rig, ACTIVITY.flujo, sizes.reports);
    log(
      `avalancha/flujo: ${sizes.reports} reportes directos al flujo en ${viaFlow.seconds.toFixed(1)} s: ${viaFlow.accepted} aceptados, ` +
        `rechazados por el flujo: ${listOf(viaFlow.refused)}; transitorios ${viaFlow.transient}; otros: ${listOf(viaFlow.other)}`,
    );
    const flowExt = await extensionPairs(rig, ACTIVITY.flujo, sizes.pairs, 'flujo');
    const flowEvidence = await handInEvidence(rig, linkTo(rig, ACTIVITY.flujo), AREA);
    log(`avalancha/flujo: evidencia del área por un enlace: ${flowEvidence.status} ${flowEvidence.said}`);
    requireEvidence('flujo', flowEvidence);
    // The file is checked by the worker before OAPLA can review it.
    await untilStatus(rig.server.client, ACTIVITY.flujo, 'in-review', 120_000);
    const approved = await tryUpdate(() =>
      rig.server.client.workflow
        .getHandle(activityWorkflowId(PLAN_ID, ACTIVITY.flujo))
        .executeUpdate(reviewUpdate, { args: [{ decision: 'approve', reason: 'Aprobada tras la avalancha' }] }),
    );
    if (!approved.ok) throw new BenchFailure(`avalancha/flujo: la actividad no aceptó la aprobación de la OAPLA: ${approved.message}`);
    const flowRuns = await settledRuns(rig.server.client, ACTIVITY.flujo);
    log(
      `avalancha: corridas del flujo: enlace ${linkRuns.runs} (${linkRuns.progressAccepted} avances en la historia), flujo ${flowRuns.runs} ` +
        `(${flowRuns.progressAccepted} avances; eventos por corrida ${flowRuns.historyEvents.join(', ')}); aprobada: ${approved.value.status}`,
    );

    const firstOf = (e: { measured: number[]; baseline: number[] }) => `primera prórroga tras la avalancha ${ms(e.measured[0] as number)}`;
    const figureOf = (id: string, label: string, e: { measured: number[]; baseline: number[] }, notes: string[]): Figure => ({
      id,
      label,
      unit: 's',
      measured: summarize(e.measured),
      baseline: summarize(e.baseline),
      baselineLabel: 'prórroga en una actividad tranquila',
      ratio: pairedRatio(e.measured, e.baseline),
      notes,
    });
    return [
      figureOf(`avalancha/enlace`, `prórroga de la OAPLA tras ${sizes.reports} reportes de avance por un enlace (web)`, linkExt, [
        `${sizes.reports} reportes por un mismo enlace, ${LINK_CONCURRENCY} conexiones keep-alive, en ${viaLink.seconds.toFixed(1)} s ` +
          `(${(sizes.reports / viaLink.seconds).toFixed(0)}/s; ${viaLink.formLoads} cargas del formulario, ${viaLink.formLoadsRefused} rechazadas).`,
        `Respuestas: ${viaLink.accepted} aceptados (200), ${viaLink.writeGate} rechazados por el límite de escritura (429), ` +
          `${viaLink.requestLimit} por el límite de solicitudes por dirección (429), ${viaLink.staleForm} con el formulario vencido (403), otros: ${listOf(viaLink.other)}.`,
        `En el flujo: ${linkRuns.progressAccepted} reportes de avance en ${linkRuns.runs} corrida(s) (eventos: ${linkRuns.historyEvents.join(', ')}).`,
        `La misma dirección del atacante, justo después, al abrir el formulario: ${sameAddress.status}${sameAddress.status === 429 ? ' (límite por dirección: un área detrás de la misma dirección esperaría el resto del minuto)' : ''}.`,
        `Evidencia del área (PDF) por otro enlace de la misma actividad, desde otra dirección: ${linkEvidence.status} ${linkEvidence.said}.`,
        `${sizes.pairs} pares de prórrogas alternados; ${firstOf(linkExt)}.`,
      ]),
      figureOf(`avalancha/flujo`, `prórroga de la OAPLA tras ${sizes.reports} reportes de avance enviados directo al flujo`, flowExt, [
        `${sizes.reports} reportes con executeUpdate, ${FLOW_CONCURRENCY} a la vez, en ${viaFlow.seconds.toFixed(1)} s (${(sizes.reports / viaFlow.seconds).toFixed(0)}/s).`,
        `Aceptados ${viaFlow.accepted}; rechazados por el flujo ${sumOf(viaFlow.refused)} (${listOf(viaFlow.refused)}); transitorios ${viaFlow.transient}; otros ${sumOf(viaFlow.other)}.`,
        `Corridas del flujo: ${flowRuns.runs}${flowRuns.runs > 1 ? ' (continuó como nuevo)' : ' (no llegó a continuar como nuevo)'}; reportes de avance en sus historias: ${flowRuns.progressAccepted}; eventos por corrida: ${flowRuns.historyEvents.join(', ')}.`,
        `Evidencia del área (PDF) por un enlace: ${flowEvidence.status} ${flowEvidence.said}; aprobada por la OAPLA (review): ${approved.value.status}.`,
        `${sizes.pairs} pares de prórrogas alternados; ${firstOf(flowExt)}.`,
      ]),
    ];
  } finally {
    await stopRig(rig);
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(webDir, { recursive: true, force: true });
  }
}
