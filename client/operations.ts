/**
 * What the CLI and the web both do to a running activity: find its workflow, ask its status (with
 * a deadline: client/status.ts), and send an update whose refusal by the workflow's validator comes
 * back as a value, in its words.
 */
import { WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';

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
