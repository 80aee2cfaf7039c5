/**
 * Reads the dashboard's lists from Temporal's visibility alone (client/plan-list.ts): a plan, every
 * plan, an area across plans. No status query: that is for the one activity a person opens.
 */
import type { Client } from '@temporalio/client';
import { deliverables, listPlan, listWorkflows, planClause } from '../client/plan-list';
import { ANY_PLAN, areaIn, areaIs } from '../client/visibility-query';
import type { ListedWorkflow } from '../domain/listed-workflow';
import { rowOf, type ActivityRow } from './plan-view';

/** One row per one-off activity and per started period of a recurring one, in number order. */
export async function planRows(client: Client, planId: string, today: string): Promise<ActivityRow[]> {
  return (await listPlan(client, planId)).map((w) => rowOf(w, today));
}

/** Every deliverable of every plan (one List), or of one area across plans. */
export async function entityRows(client: Client, today: string, area?: string): Promise<ActivityRow[]> {
  const query = area ? areaIs(area) : ANY_PLAN;
  return deliverables(await listWorkflows(client, query)).map((w) => rowOf(w, today));
}

export { planClause };

/** What OAPLA last decided on an activity's evidence, as its workflow keeps it in the memo. */
export type Decision = 'approve' | 'reject' | null;

/**
 * Every deliverable of these areas across all plans (or of every area, for `null`), with OAPLA's
 * last decision on each: one List, whatever the number of plans.
 */
export async function areaDeliverables(client: Client, today: string, areas: readonly string[] | null): Promise<{ row: ActivityRow; decision: Decision }[]> {
  if (areas !== null && areas.length === 0) return [];
  const listed = deliverables(await listWorkflows(client, areas === null ? ANY_PLAN : areaIn(areas)));
  return listed.map((w) => ({ row: rowOf(w, today), decision: lastDecision(w) }));
}

function lastDecision(w: ListedWorkflow): Decision {
  const decided = w.followUp?.evidence.filter((e) => e.decision) ?? [];
  return decided[decided.length - 1]?.decision ?? null;
}
