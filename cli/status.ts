/**
 * `plazos status`: one line per activity (or period) of the plans, with the notices not going out.
 *
 * A plan, or every plan, is read from Temporal's visibility alone: one paginated List, as the
 * dashboard's pages, whatever the number of activities. Asking each workflow would wake every one
 * of them in the worker and wait behind the 08:00 notices (the soak run saw answers past 3 s). One
 * activity (`plazos status PLAN N`) is asked directly, for its next notice and why, and falls back
 * to the server's index when the worker does not answer in time.
 */
import type { Client, WorkflowExecutionStatusName } from '@temporalio/client';
import { listWorkflows, planClause } from '../client/plan-list';
import type { ListedWorkflow } from '../domain/listed-workflow';
import { readStatus, type IndexedStatus, type StatusReading } from '../client/status';
import { readUnsent, unsentHeadline } from '../client/unsent';
import { AREA_CODE_PATTERN, PLAN_ID_PATTERN } from '../plans/rules';
import type { ActivityStatus } from '../workflows/shared';
import { ANY_PLAN, areaIs } from '../client/visibility-query';
import { CliError, EXIT } from '../domain/errors';
import { cliLocale, t } from './i18n';
import { kindLabels, out, statusLabels, target, withClient, withStores, type RunEnv } from './operate';

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
  /** When the next notice goes out; its kind and why only when the activity was asked directly. */
  next: { at: string; kind?: string; why?: string; moved?: string } | null;
  /** Null when the row comes from the index, which does not count evidence. */
  evidence: number | null;
  /** The last percentage of progress the area reported, null before any (or from the index). */
  progress?: number | null;
  /**
   * Who answered: visibility (a plan's list), the worker (one activity, in full), or the server's
   * index when the worker did not answer in time.
   */
  source: 'visibility' | 'worker' | 'index';
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

/** A row as visibility lists it: what the workflow last wrote in its search attributes. */
function listedRow(w: ListedWorkflow): StatusRow {
  return {
    workflowId: w.workflowId,
    activity: w.activity,
    period: w.period,
    title: w.title,
    responsible: w.areas,
    status: w.status ?? 'unknown',
    due: w.due,
    next: w.nextNotice ? { at: w.nextNotice } : null,
    evidence: w.evidence,
    progress: w.progress,
    source: 'visibility',
  };
}

function rowsOfReading(reading: StatusReading | null): StatusRow[] {
  if (!reading) return [];
  return reading.source === 'worker' ? rowsOf(reading.status) : [indexRowOf(reading.index, reading.deadlineMs)];
}

const seconds = (ms: number) => `${(ms / 1000).toLocaleString(cliLocale() === 'es' ? 'es-CO' : 'en', { maximumFractionDigits: 1 })} s`;

function statusLine(r: StatusRow): string {
  const label = `${r.workflowId}`.padEnd(40);
  const m = t();
  const status = statusLabels()[r.status] ?? (r.status === 'unknown' ? m.noStatus : r.status);
  const head = `${label} ${status.padEnd(12)} ${m.dueWord} ${r.due || '?'}  ${r.responsible.join(',').padEnd(12)}`;
  if (r.source === 'index') return `${head} ${m.fromIndex(seconds(r.deadlineMs ?? 0))}`;
  const moved = r.next?.moved ? `; ${r.next.moved}` : '';
  const at = r.next?.at.slice(0, 16).replace('T', ' ') ?? '';
  const next = !r.next
    ? ''
    : r.next.kind
      ? // The reason has parentheses of its own ("(jueves 17 de diciembre)"): set apart by a dot, not nested.
        `${m.nextWord}: ${kindLabels()[r.next.kind] ?? r.next.kind} ${at} · ${r.next.why ?? ''}${moved}`
      : `${m.nextNoticeAt} ${at}`;
  const progress = r.progress === null || r.progress === undefined ? '' : ` ${m.progressWord} ${r.progress} %`;
  const unsent = r.unsent ? `  ⚠ ${r.unsent.text} ${r.unsent.fix}` : '';
  return `${head} ${m.evidenceWord} ${r.evidence ?? '?'}${progress}  ${next}${unsent}`;
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

export async function statusCommand(
  plan: string | undefined,
  n: string | undefined,
  opts: { area?: string; period?: string; json?: boolean },
): Promise<number> {
  if (opts.area !== undefined && !AREA_CODE_PATTERN.test(opts.area)) throw new CliError(t().badArea(opts.area), EXIT.usage);
  if (plan !== undefined && !PLAN_ID_PATTERN.test(plan)) throw new CliError(t().statusPlanId(plan), EXIT.usage);
  return withClient(async (client, config) => {
    const read = plan && n ? await oneActivity(client, plan, n, opts.period) : await listed(client, plan, opts.area);
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

/** Every workflow of the plan (or of every plan), of one area if asked: one List, no query to any workflow. */
async function listed(client: Client, plan: string | undefined, area: string | undefined): Promise<StatusRow[]> {
  const clauses = [plan ? planClause(plan) : ANY_PLAN, ...(area ? [areaIs(area)] : [])];
  return (await listWorkflows(client, clauses.join(' AND '))).map(listedRow).sort((a, b) => a.workflowId.localeCompare(b.workflowId, 'en', { numeric: true }));
}

/** One activity, asked directly: its next notice and why, or the index's answer when the worker is slow. */
async function oneActivity(client: Client, plan: string, n: string, period: string | undefined): Promise<StatusRow[]> {
  const handle = await target(client, plan, n, period);
  return rowsOfReading(await readStatus(client, handle.workflowId));
}

function indexNote(fromIndex: number, total: number): string {
  return t().indexNote(fromIndex, total);
}
