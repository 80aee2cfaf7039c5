/**
 * Reads the dashboard's lists from Temporal's visibility alone (client/plan-list.ts): a plan, every
 * plan, an area across plans. No status query: that is for the one activity a person opens.
 */
import type { Client } from '@temporalio/client';
import { deliverables, listPlan, listWorkflows, planClause } from '../client/plan-list';
import { rowOf, type ActivityRow } from './plan-view';

/** One row per one-off activity and per started period of a recurring one, in number order. */
export async function planRows(client: Client, planId: string, today: string): Promise<ActivityRow[]> {
  return (await listPlan(client, planId)).map((w) => rowOf(w, today));
}

/** Every deliverable of every plan (one List), or of one area across plans. */
export async function entityRows(client: Client, today: string, area?: string): Promise<ActivityRow[]> {
  const query = area ? `PlazosAreas = "${area.replace(/["\\]/g, '')}"` : 'PlazosPlan IS NOT NULL';
  return deliverables(await listWorkflows(client, query)).map((w) => rowOf(w, today));
}

export { planClause };
