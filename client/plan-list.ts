/**
 * A plan's workflows as visibility lists them, with what each keeps in its search attributes
 * (workflows/listing.ts): the one read behind the plan page, the reports, the portfolio and the
 * weekly digest. It asks no worker anything: a page that listed a thousand activities by querying
 * each one woke every workflow in the worker and waited behind the notices (the soak run, bench/soak.ts).
 * A person who opens one activity gets its status from its workflow (client/status.ts).
 */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { PLAN_TIMEZONE } from '../calendar/policy';
import type { PlanList } from '../activities/plan-list';
import { FOLLOW_UP_MEMO, type FollowUpMemo, type ListedWorkflow } from '../domain/listed-workflow';
import { PERIOD_STATUSES, SEARCH_ATTRIBUTES, type PeriodStatus } from '../workflows/shared';
import { planIs, statusIs } from './visibility-query';

// The row's shape is defined below the activities, which read it too; the CLI's status command takes it from here.

/** Search attributes carry instants; pages show dates in the plans' zone. */
const ZONE = PLAN_TIMEZONE;

/** Visibility's largest page; fewer round trips for a plan of thousands. */
const PAGE_SIZE = 1_000;

/** A plan id inside a visibility query: plan ids are slugs, but a quote must never end the string. */
export function planClause(planId: string): string {
  return planIs(planId);
}

/**
 * One formatter per zone: a page of 10,000 rows formats 30,000 instants, and Intl formats one in
 * ~2 µs where a luxon DateTime in a named zone takes ~14 µs. en-CA writes `2023-06-16, 08:00`.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** `2023-06-16 08:00` in the zone. */
function instantIn(d: Date | undefined, zone: string): string | null {
  return d ? formatterFor(zone).format(d).replace(', ', ' ') : null;
}

/** `2023-06-16` in the zone. */
function dateIn(d: Date | undefined, zone: string): string {
  return instantIn(d, zone)?.slice(0, 10) ?? '';
}

/** The memo as the workflows write it; anything else (an older run, another writer) reads as none. */
function followUpOf(memo: Record<string, unknown> | undefined): FollowUpMemo | null {
  const m = memo?.[FOLLOW_UP_MEMO] as Partial<FollowUpMemo> | undefined;
  return m && Array.isArray(m.progress) && Array.isArray(m.evidence) ? { progress: m.progress, evidence: m.evidence, closedAt: m.closedAt ?? null } : null;
}

export function listedWorkflow(
  wf: Pick<WorkflowExecutionInfo, 'workflowId' | 'typedSearchAttributes' | 'status'> & Partial<Pick<WorkflowExecutionInfo, 'memo' | 'closeTime'>>,
  zone = ZONE,
): ListedWorkflow {
  const attrs = wf.typedSearchAttributes;
  const [plan = '', number = '', period] = wf.workflowId.split('/');
  const status = attrs.get(SEARCH_ATTRIBUTES.status);
  return {
    workflowId: wf.workflowId,
    planId: attrs.get(SEARCH_ATTRIBUTES.plan) ?? plan,
    activity: attrs.get(SEARCH_ATTRIBUTES.activity) ?? (Number(number) || 0),
    period: period ?? null,
    title: attrs.get(SEARCH_ATTRIBUTES.title) ?? '',
    areas: attrs.get(SEARCH_ATTRIBUTES.areas) ?? [],
    start: attrs.get(SEARCH_ATTRIBUTES.start) ?? '',
    due: dateIn(attrs.get(SEARCH_ATTRIBUTES.due), zone),
    status: status && (PERIOD_STATUSES as readonly string[]).includes(status) ? (status as PeriodStatus) : null,
    evidence: attrs.get(SEARCH_ATTRIBUTES.evidence) ?? null,
    lastNotice: instantIn(attrs.get(SEARCH_ATTRIBUTES.lastNotice), zone),
    nextNotice: instantIn(attrs.get(SEARCH_ATTRIBUTES.nextNotice), zone),
    running: wf.status.name === 'RUNNING',
    progress: attrs.get(SEARCH_ATTRIBUTES.progress) ?? null,
    followUp: followUpOf(wf.memo),
    closeTime: wf.closeTime ?? null,
  };
}

/** Every workflow a visibility query matches (the latest run of each ID), by one paginated List. */
export async function listWorkflows(client: Client, query: string, zone = ZONE): Promise<ListedWorkflow[]> {
  const found = new Map<string, ListedWorkflow>();
  for await (const wf of client.workflow.list({ query, pageSize: PAGE_SIZE })) {
    if (!found.has(wf.workflowId)) found.set(wf.workflowId, listedWorkflow(wf, zone));
  }
  return [...found.values()];
}

/**
 * The workflows that stand for a deliverable: each one-off activity and each started period. A
 * recurring activity's own workflow only starts its periods; it stands for itself (a row with its
 * title and dates) until its first period starts.
 */
export function deliverables(listed: ListedWorkflow[]): ListedWorkflow[] {
  const parents = new Set(listed.filter((w) => w.period !== null).map((w) => `${w.planId}/${w.activity}`));
  return listed.filter((w) => w.period !== null || !parents.has(w.workflowId));
}

/** One plan's deliverables, in activity and period order. */
export async function listPlan(client: Client, planId: string, zone = ZONE): Promise<ListedWorkflow[]> {
  return deliverables(await listWorkflows(client, planClause(planId), zone)).sort(byNumber);
}

export function byNumber(a: ListedWorkflow, b: ListedWorkflow): number {
  return a.planId.localeCompare(b.planId) || a.activity - b.activity || (a.period ?? '').localeCompare(b.period ?? '');
}

/**
 * The plan list as the digest and cut-report activities read it (activities/plan-list.ts). `clientOf`
 * is asked at each read: in the worker it is the running activity's own client, which exists only
 * while an activity runs.
 */
export function planListOf(clientOf: () => Client): PlanList {
  return {
    deliverables: (planId, zone) => listPlan(clientOf(), planId, zone),
    running: async (planId, zone) => deliverables(await listWorkflows(clientOf(), `${planClause(planId)} AND ExecutionStatus = "Running"`, zone)),
    missed: async (planId) => (await clientOf().workflow.count(`${planClause(planId)} AND ${statusIs('missed')}`)).count,
  };
}
