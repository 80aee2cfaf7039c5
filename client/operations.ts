/**
 * What the CLI and the web both do to a running activity: find its workflow, ask its status (with
 * a deadline: client/status.ts), and send an update whose refusal by the workflow's validator comes
 * back as a value, in its words.
 */
import { WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { indexedStatus, type IndexedStatus } from './status';

export { readStatus, STATUS_DEADLINE_MS, type IndexedStatus, type StatusReading } from './status';

export type Outcome<T> = { ok: true; value: T } | { ok: false; message: string };

/** Sends an update; the workflow's refusal (validator or handler) becomes `{ ok: false }`. */
export async function tryUpdate<T>(send: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await send() };
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) return { ok: false, message: err.cause?.message ?? err.message };
    throw err;
  }
}

export function handleOf(client: Client, workflowId: string): WorkflowHandle {
  return client.workflow.getHandle(workflowId);
}

/**
 * Every workflow of a plan, activities and their periods, as visibility lists them (the latest run
 * of each ID), in ID order. Visibility lags the workflows by a moment: for one activity, readStatus.
 */
export async function planIndex(client: Client, planId: string): Promise<IndexedStatus[]> {
  const found = new Map<string, IndexedStatus>();
  for await (const wf of client.workflow.list({ query: `PlazosPlan = "${planId.replace(/"/g, '')}"` })) {
    if (!found.has(wf.workflowId)) found.set(wf.workflowId, indexedStatus(wf.workflowId, wf));
  }
  return [...found.values()].sort((a, b) => a.workflowId.localeCompare(b.workflowId, 'en', { numeric: true }));
}

/** `plan/13` is an activity's workflow; `plan/11/2023-03` is one period of a recurring one. */
export function isActivityWorkflow(workflowId: string): boolean {
  return workflowId.split('/').length === 2;
}

export async function planIds(client: Client): Promise<string[]> {
  const plans = new Set<string>();
  for await (const wf of client.workflow.list({ query: 'PlazosPlan IS NOT NULL' })) plans.add(wf.workflowId.split('/')[0]!);
  return [...plans].sort();
}
