/**
 * Reads a plan's activities from Temporal: visibility for the list, each activity's status with a
 * deadline (client/status.ts). An activity whose worker did not answer in time shows as a row from
 * the server's index, marked so; the page never waits on the worker longer than the deadline.
 */
import type { Client } from '@temporalio/client';
import { isActivityWorkflow, planIndex, readStatus, type IndexedStatus, type StatusReading } from '../client/operations';
import { indexRow, rowsOf, type ActivityRow } from './plan-view';

/** One row per one-off activity and per started period of a recurring one. */
export async function planRows(client: Client, planId: string): Promise<ActivityRow[]> {
  const listed = await planIndex(client, planId);
  const activities = listed.filter((w) => isActivityWorkflow(w.workflowId));
  const readings = await Promise.all(activities.map((w) => readStatus(client, w.workflowId)));
  const rows = await Promise.all(readings.map(async (r) => (r ? rowsFor(client, r, listed) : [])));
  return rows.flat();
}

async function rowsFor(client: Client, reading: StatusReading, listed: IndexedStatus[]): Promise<ActivityRow[]> {
  if (reading.source === 'index') return indexRows(reading, listed);
  const s = reading.status;
  if (s.kind === 'period') return rowsOf(s);
  // A recurring activity: each started period has its own evidence and notices.
  const periods = await Promise.all(
    rowsOf(s).map(async (row) => {
      if (row.status === 'not-started') return [row];
      const child = await readStatus(client, row.workflowId);
      if (!child) return [row];
      return child.source === 'worker' ? rowsOf(child.status) : [indexRow(child.index, child.deadlineMs, child.index.startedAs ?? row)];
    }),
  );
  return periods.flat();
}

/**
 * Without the worker there is no telling a recurring activity from a one-off one but by its period
 * workflows in the listing: those are its rows (with the activity's title); otherwise its own.
 */
function indexRows(reading: Extract<StatusReading, { source: 'index' }>, listed: IndexedStatus[]): ActivityRow[] {
  const { index, deadlineMs } = reading;
  const periods = listed.filter((w) => w.workflowId.startsWith(`${index.workflowId}/`));
  if (periods.length === 0) return [indexRow(index, deadlineMs)];
  const title = index.startedAs?.title ?? '';
  return periods.map((p) => indexRow(p, deadlineMs, { title }));
}
