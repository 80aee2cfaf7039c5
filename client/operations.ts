/**
 * What the CLI and the web both do to a running activity: find its workflow, ask its status, and
 * send an update whose refusal by the workflow's validator comes back as a value, in its words.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { isClosed, statusQuery, type ActivityStatus } from '../workflows/shared';

export type Outcome<T> = { ok: true; value: T } | { ok: false; message: string };

/** The workflow's status, or null when there is no such workflow. */
export async function statusOf(client: Client, workflowId: string): Promise<ActivityStatus | null> {
  try {
    return await client.workflow.getHandle(workflowId).query(statusQuery);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
}

/** Sends an update; the workflow's refusal (validator or handler) becomes `{ ok: false }`. */
export async function tryUpdate<T>(send: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await send() };
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) return { ok: false, message: err.cause?.message ?? err.message };
    throw err;
  }
}

export function isOpen(status: ActivityStatus): boolean {
  return !isClosed(status.status);
}

export function handleOf(client: Client, workflowId: string): WorkflowHandle {
  return client.workflow.getHandle(workflowId);
}

/** Activity workflows of a plan (not their period children), by visibility. */
export async function planWorkflowIds(client: Client, planId: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const wf of client.workflow.list({ query: `PlazosPlan = "${planId.replace(/"/g, '')}"` })) {
    if (wf.workflowId.split('/').length === 2 && !ids.includes(wf.workflowId)) ids.push(wf.workflowId);
  }
  return ids.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

export async function planIds(client: Client): Promise<string[]> {
  const plans = new Set<string>();
  for await (const wf of client.workflow.list({ query: 'PlazosPlan IS NOT NULL' })) plans.add(wf.workflowId.split('/')[0]!);
  return [...plans].sort();
}
