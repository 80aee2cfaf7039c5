/**
 * Carries the current calendar (national holidays by law and the entity's days off) to the running
 * workflows of one or more plans: `plazos calendar apply` and OAPLA's button on the plan page.
 *
 * The workflows to reach come from visibility (one paginated List per plan, running executions
 * only); each gets the `applyCalendar` update with the years it can still need. An update that
 * would change nothing is refused by the workflow's validator and so leaves its history as it was:
 * running the command twice is harmless, and a run cut short is finished by running it again.
 */
import { ApplicationFailure } from '@temporalio/common';
import { ANY_PLAN } from './visibility-query';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { DateTime } from 'luxon';
import type { BusinessCalendar } from '../calendar/business-calendar';
import type { MovedNotice } from '../calendar/reason';
import { PLAN_ID_MAX, PLAN_ID_PATTERN } from '../plans/rules';
import { CALENDAR_UNCHANGED } from '../workflows/calendar-update';
import { sendUpdate } from './operations';
import { planClause } from './plan-list';
import { applyCalendarUpdate, SEARCH_ATTRIBUTES } from '../workflows/shared';
import { PLAN_TIMEZONE } from '../calendar/policy';

export type ApplyOutcome =
  | { workflowId: string; result: 'updated'; moved: MovedNotice[] }
  | { workflowId: string; result: 'unchanged' }
  | { workflowId: string; result: 'refused'; message: string }
  | { workflowId: string; result: 'no-answer' };

export interface ApplyOptions {
  /** Updates in flight at once: a plan of thousands of activities must not open thousands of calls. */
  concurrency?: number;
  /** How long one workflow may take to answer (it needs a worker); then it is reported, not waited for. */
  timeoutMs?: number;
  /** Today, in the plans' zone: the first year a workflow can still need is the one before it. */
  today?: string;
}

/** The visibility query for the running workflows of a plan, or of every plan. */
export function runningQuery(planId: string | null): string {
  if (planId !== null && (!PLAN_ID_PATTERN.test(planId) || planId.length > PLAN_ID_MAX)) throw new RangeError(`Not a plan id: ${JSON.stringify(planId)}`);
  const plan = planId === null ? ANY_PLAN : planClause(planId);
  return `${plan} AND ExecutionStatus = "Running"`;
}

/**
 * The years a running workflow can still need: from the year before today (a reminder counted
 * back across New Year) to two years after its due date (escalations, extensions), within the
 * years the calendar covers. A recurring activity's parent sets no due date: today's year then.
 */
export function yearsFor(due: Date | undefined, today: string, calendar: BusinessCalendar): { fromYear: number; toYear: number } {
  const thisYear = Number(today.slice(0, 4));
  const dueYear = due ? Number(DateTime.fromJSDate(due, { zone: PLAN_TIMEZONE }).toFormat('yyyy')) : thisYear;
  const fromYear = Math.max(calendar.years.first, Math.min(thisYear, dueYear) - 1);
  const toYear = Math.min(calendar.years.last, Math.max(thisYear, dueYear) + 2);
  return { fromYear, toYear: Math.max(fromYear, toYear) };
}

async function applyOne(
  client: Client,
  workflowId: string,
  due: Date | undefined,
  calendar: BusinessCalendar,
  opts: Required<ApplyOptions>,
): Promise<ApplyOutcome> {
  const { fromYear, toYear } = yearsFor(due, opts.today, calendar);
  const handle = client.workflow.getHandle(workflowId);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), opts.timeoutMs);
  });
  try {
    // A workflow that is continuing as new, or has its updates in flight at the limit, gets it again shortly.
    const update = sendUpdate(() => handle.executeUpdate(applyCalendarUpdate, { args: [{ calendar: calendar.toData(fromYear, toYear) }] }));
    const answer = await Promise.race([update, timeout]);
    if (answer === 'timeout') return { workflowId, result: 'no-answer' };
    return { workflowId, result: 'updated', moved: answer.moved };
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) {
      if (err.cause instanceof ApplicationFailure && err.cause.type === CALENDAR_UNCHANGED) return { workflowId, result: 'unchanged' };
      return { workflowId, result: 'refused', message: err.cause?.message ?? err.message };
    }
    // Closed between the List and the update: nothing left to move.
    if ((err as Error).name === 'WorkflowNotFoundError') return { workflowId, result: 'refused', message: (err as Error).message };
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

export interface PlanApplyReport {
  planId: string;
  outcomes: ApplyOutcome[];
}

/** Applies `calendar` to every running workflow of each plan (every plan when `planIds` is empty). */
export async function applyCalendar(
  client: Client,
  calendar: BusinessCalendar,
  planIds: readonly string[],
  options: ApplyOptions = {},
): Promise<PlanApplyReport[]> {
  const opts: Required<ApplyOptions> = {
    concurrency: options.concurrency ?? 8,
    timeoutMs: options.timeoutMs ?? 30_000,
    today: options.today ?? (DateTime.now().setZone(PLAN_TIMEZONE).toISODate() as string),
  };
  const targets: { planId: string; workflowId: string; due: Date | undefined }[] = [];
  const queries = planIds.length === 0 ? [null] : [...new Set(planIds)];
  for (const planId of queries) {
    for await (const wf of client.workflow.list({ query: runningQuery(planId) })) {
      const plan = wf.typedSearchAttributes.get(SEARCH_ATTRIBUTES.plan) ?? wf.workflowId.split('/')[0] ?? '';
      targets.push({ planId: plan, workflowId: wf.workflowId, due: wf.typedSearchAttributes.get(SEARCH_ATTRIBUTES.due) });
    }
  }
  const outcomes = new Map<string, ApplyOutcome>();
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < targets.length; i = next++) {
      const t = targets[i] as (typeof targets)[number];
      outcomes.set(t.workflowId, await applyOne(client, t.workflowId, t.due, calendar, opts));
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency, targets.length) }, lane));
  const byPlan = new Map<string, ApplyOutcome[]>(planIds.map((p) => [p, []]));
  for (const t of targets) byPlan.set(t.planId, [...(byPlan.get(t.planId) ?? []), outcomes.get(t.workflowId) as ApplyOutcome]);
  const byId = (a: ApplyOutcome, b: ApplyOutcome) => a.workflowId.localeCompare(b.workflowId, 'en', { numeric: true });
  return [...byPlan.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([planId, list]) => ({ planId, outcomes: list.sort(byId) }));
}
