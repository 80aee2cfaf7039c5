/**
 * The administrator's and OAPLA's commands on running plans: start, status, evidence, review,
 * extend, cancel, amend, history. Each is a Temporal update, signal or query; a refusal by the
 * workflow's validator is shown as it is (exit 1), a bad argument never reaches Temporal (exit 2).
 */
import { basename } from 'node:path';
import { WorkflowNotFoundError, type Client, type WorkflowExecutionStatusName, type WorkflowHandle } from '@temporalio/client';
import { DateTime } from 'luxon';
import pino from 'pino';
import type { z } from 'zod';
import { checkUpload, createEvidenceStore, DEFAULT_EVIDENCE_LIMITS } from '../activities/evidence';
import { connectClient } from '../client/connect';
import { KIND_LABELS, STATUS_LABELS } from '../client/labels';
import { ensureDigestSchedule } from '../client/digest-schedule';
import { ensureCutSchedule } from '../client/cut-schedule';
import { startPlan } from '../client/start-plan';
import { tryUpdate } from '../client/operations';
import { planClause } from '../client/plan-list';
import { readStatus, type IndexedStatus, type StatusReading } from '../client/status';
import { timelineFromHistory, type TimelineEntry } from '../client/timeline';
import { ConfigError, parseEnv, type Env } from '../config/schema';
import { readBoundedFile, refusalMessage } from '../plans/importers/bounded-read';
import { openStores, type Stores } from '../store/open';
import { isIsoDate } from '../plans/model';
import { AREA_CODE_PATTERN, PLAN_ID_PATTERN } from '../plans/rules';
import {
  activityWorkflowId,
  AmendSchema,
  amendUpdate,
  cancelSignal,
  isClosed,
  CancelSchema,
  EvidenceSubmissionSchema,
  extendDeadlineUpdate,
  ExtendDeadlineSchema,
  periodWorkflowId,
  reviewUpdate,
  ReviewSchema,
  statusQuery,
  submitEvidenceUpdate,
  type ActivityStatus,
} from '../workflows/shared';
import { readUnsent, unsentHeadline } from '../client/unsent';
import { CliError, EXIT } from './errors';
import { cliLocale, t } from './i18n';
import { loadPlan } from './load';
import { printIssues } from './print';

type RunEnv = Env & { dataDir: string };

function env(): RunEnv {
  try {
    return parseEnv();
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message, EXIT.usage);
    throw err;
  }
}

/** plazos's stores as the settings name them, closed after `fn`; one it cannot reach is a usage error, said in one line. */
export async function withStores<T>(config: RunEnv, fn: (stores: Stores) => Promise<T>): Promise<T> {
  let stores: Stores;
  try {
    // Warnings only, and on stderr: stdout is the command's answer (--json).
    stores = await openStores(config, pino({ name: 'plazos', level: 'warn' }, pino.destination(2)));
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message, EXIT.usage);
    throw err;
  }
  try {
    return await fn(stores);
  } finally {
    await stores.close();
  }
}

export async function withClient<T>(fn: (client: Client, env: RunEnv) => Promise<T>): Promise<T> {
  const config = env();
  const connected = await connectClient(config);
  try {
    return await fn(connected.client, config);
  } finally {
    await connected.close();
  }
}

function out(json: boolean | undefined, data: unknown, text: string): void {
  process.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : text.endsWith('\n') ? text : `${text}\n`);
}

/** A bad argument, checked with the same schema the workflow's validator uses: exit 2, nothing sent. */
function parseArgs<T extends z.ZodType>(schema: T, payload: unknown): z.infer<T> {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new CliError(`${field}${issue?.message ?? t().invalidArgumentValue}`, EXIT.usage);
}

function activityNumber(text: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) < 1) throw new CliError(t().activityNumber(text), EXIT.usage);
  return Number(text);
}

function checkDate(option: string, value: string): string {
  if (!isIsoDate(value)) throw new CliError(t().badDate(option, value), EXIT.usage);
  return value;
}

/** The workflow of an activity (or of one period of a recurring one), checked to exist. */
async function target(client: Client, plan: string, n: string, period?: string): Promise<WorkflowHandle> {
  const number = activityNumber(n);
  if (period !== undefined && !/^\d{4}-\d{2}$/.test(period)) throw new CliError(t().badPeriod(period), EXIT.usage);
  const id = period ? periodWorkflowId(plan, number, period) : activityWorkflowId(plan, number);
  const handle = client.workflow.getHandle(id);
  try {
    await handle.describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) {
      throw new CliError(period ? t().noPeriod(period, number, plan) : t().noActivity(number, plan), EXIT.refused);
    }
    throw err;
  }
  return handle;
}

/** Updates to a recurring activity go to one of its periods. */
async function periodTarget(client: Client, plan: string, n: string, period?: string): Promise<WorkflowHandle> {
  const handle = await target(client, plan, n, period);
  if (period) return handle;
  const status = await handle.query(statusQuery);
  if (status.kind === 'recurring') {
    const open = status.periods.filter((p) => p.status !== 'not-started' && !isClosed(p.status)).map((p) => p.key);
    throw new CliError(t().recurringNeedsPeriod(n, open), EXIT.usage);
  }
  return handle;
}

/** The workflow's own refusal, in its words (client/operations.ts's tryUpdate reads it). */
async function update<T>(send: () => Promise<T>): Promise<T> {
  const outcome = await tryUpdate(send);
  if (!outcome.ok) throw new CliError(t().refusedByWorkflow(outcome.message), EXIT.refused);
  return outcome.value;
}

// ---------------------------------------------------------------------------------------------

export async function startCommand(file: string, opts: { areas?: string; json?: boolean }): Promise<number> {
  const loaded = await loadPlan(file, opts);
  if (loaded.unreadable || loaded.errors.length > 0 || !loaded.plan) {
    printIssues(loaded.errors, loaded.warnings, process.stderr);
    process.stderr.write(`${loaded.unreadable ? t().nothingStarted : t().planErrorsNothingStarted}\n`);
    return loaded.unreadable ? EXIT.usage : EXIT.refused;
  }
  const plan = loaded.plan;
  return withClient(async (client, config) => {
    const total = plan.activities.length;
    const showProgress = !opts.json && process.stderr.isTTY && total > 20;
    const outcomes = await startPlan(client, plan, loaded.calendar, {
      taskQueue: config.PLAZOS_TASK_QUEUE,
      searchAttributes: true,
      locale: config.PLAZOS_LOCALE,
      kickoffNow: true,
      onProgress: showProgress ? (done) => process.stderr.write(`\r${progressBar(done, total)}`) : undefined,
    });
    if (showProgress) process.stderr.write('\n');
    const digest = await ensureDigestSchedule(client, plan, loaded.calendar, {
      taskQueue: config.PLAZOS_TASK_QUEUE,
      locale: config.PLAZOS_LOCALE,
      today: DateTime.now().setZone(plan.timezone).toISODate() as string,
    });
    const cuts = await ensureCutSchedule(client, plan, loaded.calendar, { taskQueue: config.PLAZOS_TASK_QUEUE, locale: config.PLAZOS_LOCALE });
    const started = outcomes.filter((o) => o.result === 'started');
    const already = outcomes.filter((o) => o.result === 'already-started');
    const m = t();
    const lines = [
      m.planStarted(plan.title, plan.id, started.length, already.length),
      ...outcomes.map(
        (o) => `  ${String(o.activity).padStart(3)}  ${(o.result === 'started' ? m.rowStarted : m.rowAlreadyRunning).padEnd(14)}  ${o.workflowId}`,
      ),
      m.digestScheduled(plan.owner, digest.result === 'created', digest.scheduleId),
      m.cutsScheduled(
        cuts.result === 'created',
        cuts.cuts.map((c) => c.cut),
        cuts.scheduleId,
      ),
    ];
    out(
      opts.json,
      { plan: plan.id, started: started.map((o) => o.activity), alreadyStarted: already.map((o) => o.activity), outcomes, digest, cuts },
      lines.join('\n'),
    );
    return EXIT.ok;
  });
}

function progressBar(done: number, total: number): string {
  const width = 30;
  const filled = Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
}

/** Statuses and notice kinds in the CLI's language (PLAZOS_LANG). */
const statusLabels = (): Record<string, string> => STATUS_LABELS[cliLocale()];
const kindLabels = (): Record<string, string> => KIND_LABELS[cliLocale()];

/** One line of `plazos status`, and one entry of its --json output. */
export interface StatusRow {
  workflowId: string;
  activity: number;
  period: string | null;
  title: string;
  responsible: string[];
  /** A period status, or "unknown" when the index holds none. */
  status: string;
  due: string;
  next: { kind: string; at: string; why: string; moved?: string } | null;
  /** Null when the row comes from the index, which does not count evidence. */
  evidence: number | null;
  /** The last percentage of progress the area reported, null before any (or from the index). */
  progress?: number | null;
  /** Who answered: the worker (the full status), or the server's index when the worker did not answer in time. */
  source: 'worker' | 'index';
  /** Index rows only: how long the worker was waited for, and Temporal's state of the run. */
  deadlineMs?: number;
  execution?: WorkflowExecutionStatusName;
  /** The oldest notice of this activity that a worker could not send yet, and what to change. */
  unsent?: { text: string; fix: string; since: string; attempts: number };
}

function rowsOf(status: ActivityStatus): StatusRow[] {
  if (status.kind === 'recurring') {
    return [
      {
        workflowId: status.workflowId,
        activity: status.activity.number,
        period: null,
        title: status.activity.title,
        responsible: status.activity.responsible,
        status: status.status,
        due: status.activity.due,
        next: null,
        evidence: 0,
        source: 'worker',
      },
    ];
  }
  return [
    {
      workflowId: status.workflowId,
      activity: status.activity.number,
      period: status.period,
      title: status.activity.title,
      responsible: status.activity.responsible,
      status: status.status,
      due: status.due,
      next: status.next
        ? {
            kind: status.next.kind,
            at: status.next.at,
            why: status.next.why[cliLocale()],
            ...(status.next.moved ? { moved: status.next.moved.why[cliLocale()] } : {}),
          }
        : null,
      evidence: status.evidence.length,
      progress: status.progress?.[status.progress.length - 1]?.percent ?? null,
      source: 'worker',
    },
  ];
}

function indexRowOf(index: IndexedStatus, deadlineMs: number): StatusRow {
  return {
    workflowId: index.workflowId,
    activity: index.activity ?? 0,
    period: index.period,
    title: index.startedAs?.title ?? '',
    responsible: index.areas,
    status: index.status ?? 'unknown',
    due: index.due ?? index.startedAs?.due ?? '',
    next: null,
    evidence: null,
    source: 'index',
    deadlineMs,
    execution: index.execution,
  };
}

function rowsOfReading(reading: StatusReading | null): StatusRow[] {
  if (!reading) return [];
  return reading.source === 'worker' ? rowsOf(reading.status) : [indexRowOf(reading.index, reading.deadlineMs)];
}

/** Reads at most this many statuses at once: a plan's activities wait on the worker together, not one after another. */
const READ_CONCURRENCY = 32;

async function readAll(client: Client, ids: string[]): Promise<StatusRow[]> {
  const rows: StatusRow[] = [];
  for (let i = 0; i < ids.length; i += READ_CONCURRENCY) {
    const readings = await Promise.all(ids.slice(i, i + READ_CONCURRENCY).map((id) => readStatus(client, id)));
    rows.push(...readings.flatMap(rowsOfReading));
  }
  return rows;
}

const seconds = (ms: number) => `${(ms / 1000).toLocaleString(cliLocale() === 'es' ? 'es-CO' : 'en', { maximumFractionDigits: 1 })} s`;

function statusLine(r: StatusRow): string {
  const label = `${r.workflowId}`.padEnd(40);
  const m = t();
  const status = statusLabels()[r.status] ?? (r.status === 'unknown' ? m.noStatus : r.status);
  const head = `${label} ${status.padEnd(12)} ${m.dueWord} ${r.due || '?'}  ${r.responsible.join(',').padEnd(12)}`;
  if (r.source === 'index') return `${head} ${m.fromIndex(seconds(r.deadlineMs ?? 0))}`;
  const moved = r.next?.moved ? `; ${r.next.moved}` : '';
  const next = r.next ? `${m.nextWord}: ${kindLabels()[r.next.kind] ?? r.next.kind} ${r.next.at.slice(0, 16).replace('T', ' ')} (${r.next.why}${moved})` : '';
  const progress = r.progress === null || r.progress === undefined ? '' : ` ${m.progressWord} ${r.progress} %`;
  const unsent = r.unsent ? `  ⚠ ${r.unsent.text} ${r.unsent.fix}` : '';
  return `${head} ${m.evidenceWord} ${r.evidence}${progress}  ${next}${unsent}`;
}

/**
 * Marks the rows whose notices are not going out (one query to plazos's store). The status still
 * prints when the store cannot be read: it then says so on stderr.
 */
async function withUnsent(config: RunEnv, rows: StatusRow[], plan: string | undefined): Promise<{ rows: StatusRow[]; headline: string | null }> {
  try {
    const reading = await withStores(config, (stores) => readUnsent(stores.records, Date.now(), { locale: cliLocale(), ...(plan ? { planId: plan } : {}) }));
    const marked = rows.map((r) => {
      const note = reading.byWorkflow.get(r.workflowId);
      return note ? { ...r, unsent: { text: note.text, fix: note.fix, since: new Date(note.since).toISOString(), attempts: note.attempts } } : r;
    });
    return { rows: marked, headline: unsentHeadline(reading.summary, cliLocale()) };
  } catch (err) {
    process.stderr.write(`${t().unsentUnread(err instanceof Error ? err.message.split('\n')[0]! : String(err))}\n`);
    return { rows, headline: null };
  }
}

export async function statusCommand(plan: string | undefined, opts: { area?: string; json?: boolean }): Promise<number> {
  if (opts.area !== undefined && !AREA_CODE_PATTERN.test(opts.area)) throw new CliError(t().badArea(opts.area), EXIT.usage);
  if (plan !== undefined && !PLAN_ID_PATTERN.test(plan)) throw new CliError(t().statusPlanId(plan), EXIT.usage);
  return withClient(async (client, config) => {
    const clauses = [plan ? planClause(plan) : 'PlazosPlan IS NOT NULL', ...(opts.area ? [`PlazosAreas = "${opts.area}"`] : [])];
    const ids = new Set<string>();
    for await (const wf of client.workflow.list({ query: clauses.join(' AND ') })) ids.add(wf.workflowId);
    const read = await readAll(client, [...ids]);
    read.sort((a, b) => a.workflowId.localeCompare(b.workflowId, 'en', { numeric: true }));
    if (read.length === 0) {
      out(opts.json, { activities: [] }, t().noActivities(plan, opts.area));
      return plan ? EXIT.refused : EXIT.ok;
    }
    const { rows, headline } = await withUnsent(config, read, plan);
    out(opts.json, { activities: rows, ...(headline ? { mail: headline } : {}) }, rows.map(statusLine).join('\n'));
    // On stderr, like the index note: stdout keeps one line per activity.
    if (headline && !opts.json) process.stderr.write(`⚠ ${headline}\n`);
    const fromIndex = rows.filter((r) => r.source === 'index').length;
    // On stderr, so stdout keeps one line per activity for scripts.
    if (fromIndex > 0 && !opts.json) process.stderr.write(`${indexNote(fromIndex, rows.length)}\n`);
    return EXIT.ok;
  });
}

function indexNote(fromIndex: number, total: number): string {
  return t().indexNote(fromIndex, total);
}

/** An evidence file read within the upload limit and checked; a file that cannot be opened is exit 2, one refused exit 1. */
async function readEvidenceFile(path: string): Promise<{ bytes: Buffer; name: string; mediaType: string }> {
  const { maxBytes } = DEFAULT_EVIDENCE_LIMITS;
  const read = readBoundedFile(path, maxBytes);
  if (!read.ok) throw new CliError(t().unreadableEvidence(path, refusalMessage(read, maxBytes)), read.kind === 'unreadable' ? EXIT.usage : EXIT.refused);
  const name = basename(path);
  const check = await checkUpload(name, read.bytes, maxBytes);
  if (!check.ok) throw new CliError(check.message, EXIT.refused);
  return { bytes: read.bytes, name, mediaType: check.mediaType };
}

export async function evidenceSubmitCommand(
  plan: string,
  n: string,
  opts: { url?: string; file?: string; note?: string; period?: string; as?: string; json?: boolean },
): Promise<number> {
  if (!!opts.url === !!opts.file) throw new CliError(t().evidenceOneOf, EXIT.usage);
  // The file is read and checked as the web form checks it, before the server is asked anything.
  const file = opts.file === undefined ? null : await readEvidenceFile(opts.file);
  return withClient(async (client, config) => {
    const handle = await periodTarget(client, plan, n, opts.period);
    const status = await handle.query(statusQuery);
    const submittedBy = opts.as ?? status.activity.responsible[0] ?? 'OAPLA';
    let evidence: unknown;
    if (file) {
      // Stored content-addressed in the blob store the worker's evidence check reads.
      const bytes = file.bytes;
      const stored = await withStores(config, (stores) => createEvidenceStore(stores.blobs).put(bytes, { maxBytes: DEFAULT_EVIDENCE_LIMITS.maxBytes }));
      evidence = { kind: 'file', sha256: stored.sha256, size: stored.size, mediaType: file.mediaType, name: file.name };
    } else evidence = { kind: 'url', url: opts.url };
    const payload = parseArgs(EvidenceSubmissionSchema, { evidence, note: opts.note, submittedBy });
    const receipt = await update(() => handle.executeUpdate(submitEvidenceUpdate, { args: [payload] }));
    out(opts.json, receipt, t().evidenceReceived(receipt.evidenceId, receipt.receivedAt, handle.workflowId));
    return EXIT.ok;
  });
}

export async function reviewCommand(
  plan: string,
  n: string,
  opts: { approve?: boolean; reject?: boolean; reason?: string; due?: string; period?: string; json?: boolean },
): Promise<number> {
  if (!!opts.approve === !!opts.reject) throw new CliError(t().reviewOneOf, EXIT.usage);
  if (opts.reject && !opts.due) throw new CliError(t().rejectNeedsDue, EXIT.usage);
  if (opts.due) checkDate('--due', opts.due);
  const review = parseArgs(
    ReviewSchema,
    opts.approve ? { decision: 'approve', reason: opts.reason } : { decision: 'reject', reason: opts.reason ?? '', newDue: opts.due },
  );
  return withClient(async (client) => {
    const handle = await periodTarget(client, plan, n, opts.period);
    const result = await update(() => handle.executeUpdate(reviewUpdate, { args: [review] }));
    out(
      opts.json,
      result,
      opts.approve ? t().approved(handle.workflowId, statusLabels()[result.status] ?? result.status) : t().rejected(handle.workflowId, result.due),
    );
    return EXIT.ok;
  });
}

export async function extendCommand(plan: string, n: string, opts: { due: string; reason: string; period?: string; json?: boolean }): Promise<number> {
  checkDate('--due', opts.due);
  const ext = parseArgs(ExtendDeadlineSchema, { newDue: opts.due, reason: opts.reason });
  return withClient(async (client) => {
    const handle = await periodTarget(client, plan, n, opts.period);
    const result = await update(() => handle.executeUpdate(extendDeadlineUpdate, { args: [ext] }));
    out(opts.json, result, t().extended(handle.workflowId, result.due));
    return EXIT.ok;
  });
}

export async function cancelCommand(plan: string, n: string, opts: { reason: string; period?: string; json?: boolean }): Promise<number> {
  const cancel = parseArgs(CancelSchema, { reason: opts.reason });
  return withClient(async (client) => {
    const handle = await target(client, plan, n, opts.period);
    const before = await handle.query(statusQuery);
    if (isClosed(before.status)) throw new CliError(t().alreadyClosed(handle.workflowId, statusLabels()[before.status] ?? before.status), EXIT.refused);
    await handle.signal(cancelSignal, cancel);
    out(opts.json, { workflowId: handle.workflowId, cancelled: true }, t().cancelSent(handle.workflowId));
    return EXIT.ok;
  });
}

export async function amendCommand(
  plan: string,
  n: string,
  opts: { title?: string; responsible?: string; deliverable?: string; reason: string; period?: string; areas?: string; json?: boolean },
): Promise<number> {
  const responsible = opts.responsible?.split(/[,;\s]+/).filter(Boolean);
  const amend = parseArgs(AmendSchema, { title: opts.title, deliverable: opts.deliverable, responsible, reason: opts.reason });
  if (responsible) {
    const { loadAreasFile, resolveAreasPath } = await import('../config/load-areas');
    const { areas } = loadAreasFile(resolveAreasPath(opts.areas));
    const unknown = responsible.filter((code) => !areas?.[code]);
    if (unknown.length > 0) throw new CliError(t().unknownAreas(unknown), EXIT.usage);
  }
  return withClient(async (client) => {
    const handle = await periodTarget(client, plan, n, opts.period);
    const result = await update(() => handle.executeUpdate(amendUpdate, { args: [amend] }));
    out(opts.json, result, t().amended(handle.workflowId));
    return EXIT.ok;
  });
}

export function formatTimeline(entries: TimelineEntry[]): string {
  const m = t();
  return entries
    .map((e) => {
      const when = e.at.slice(0, 16).replace('T', ' ');
      const name = kindLabels()[e.name] ?? e.name;
      switch (e.kind) {
        case 'notice':
          return `${when}  ${m.timelineMail} ${name} → ${e.to?.join(', ')}${e.cc?.length ? ` (cc ${e.cc.join(', ')})` : ''}${e.why ? ` · ${e.why}` : ''}${e.failed ? ` · ${m.timelineNotDelivered} ${e.failed.join(', ')}` : ''}`;
        case 'notice-failed':
          return `${when}  ${m.timelineMail} ${name} ${m.timelineNotDeliveredTo} ${e.to?.join(', ')}`;
        case 'check':
          return `${when}  ${m.timelineCheck(e.name === 'ok', typeof e.details?.message === 'string' ? e.details.message : e.name)}`;
        case 'update':
        case 'signal':
          return `${when}  ${name}: ${JSON.stringify((e.details?.args as unknown[] | undefined)?.[0] ?? {})}`;
        case 'started':
          return `${when}  ${m.timelineStarted(typeof e.details?.due === 'string' ? e.details.due : '?')}`;
        case 'period-started':
          return `${when}  ${m.timelinePeriod(e.name)}`;
        case 'closed':
          return `${when}  ${m.timelineClosed(statusLabels()[e.name] ?? e.name)}`;
      }
    })
    .join('\n');
}

export async function historyCommand(plan: string, n: string, opts: { period?: string; json?: boolean }): Promise<number> {
  return withClient(async (client) => {
    const handle = await target(client, plan, n, opts.period);
    const timeline = timelineFromHistory(await handle.fetchHistory());
    out(opts.json, { workflowId: handle.workflowId, timeline }, `${handle.workflowId}\n${formatTimeline(timeline)}`);
    return EXIT.ok;
  });
}
