/** Reads a plan's activities from Temporal: visibility for the list, the status query for each. */
import type { Client } from '@temporalio/client';
import { planWorkflowIds, statusOf } from '../client/operations';
import { rowsOf, type ActivityRow } from './plan-view';

/** One row per one-off activity and per started period of a recurring one. */
export async function planRows(client: Client, planId: string): Promise<ActivityRow[]> {
  const ids = await planWorkflowIds(client, planId);
  const statuses = await Promise.all(ids.map((id) => statusOf(client, id)));
  const rows: ActivityRow[][] = await Promise.all(
    statuses.map(async (s) => {
      if (!s) return [];
      if (s.kind === 'period') return rowsOf(s);
      // A recurring activity: each started period has its own evidence and notices.
      return (await Promise.all(
        rowsOf(s).map(async (r) => {
          if (r.status === 'not-started') return [r];
          const child = await statusOf(client, r.workflowId);
          return child ? rowsOf(child) : [r];
        }),
      )).flat();
    }),
  );
  return rows.flat();
}
