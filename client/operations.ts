/**
 * What the CLI and the web both do to a running activity: find its workflow, ask its status (with
 * a deadline: client/status.ts), and send an update whose refusal by the workflow's validator comes
 * back as a value, in its words.
 */
import { isGrpcServiceError, ServiceError, WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';

export { readStatus, STATUS_DEADLINE_MS, type IndexedStatus, type StatusReading } from './status';

export type Outcome<T> = { ok: true; value: T } | { ok: false; message: string };

// gRPC status codes (grpc-js is the client's dependency, not ours).
const RESOURCE_EXHAUSTED = 8;
const FAILED_PRECONDITION = 9;

/**
 * Whether the server refused an update without admitting it, so that sending it again cannot apply it
 * twice. Temporal's server answers RESOURCE_EXHAUSTED when the workflow already has its limit of
 * updates in flight (`history.maxInFlightUpdates`, 10) and when the run is closing into a new one
 * (continue-as-new: "workflow operation can not be applied because workflow is closing"); a request
 * sent again with no run id lands on the new run. FAILED_PRECONDITION "limit on number of total
 * updates" is a run at its cap (2,000), which the period's workflow leaves at its next quiet point.
 * The client's gRPC interceptor already retries RESOURCE_EXHAUSTED ten times in about 35 s; past that
 * it throws a ServiceError "Workflow Update failed" with the gRPC error as its cause.
 */
export function refusedForNow(err: unknown): boolean {
  const cause = err instanceof ServiceError ? err.cause : err;
  if (!isGrpcServiceError(cause)) return false;
  const code: number = cause.code;
  if (code === RESOURCE_EXHAUSTED) return true;
  return code === FAILED_PRECONDITION && /limit on number of total updates/i.test(cause.details);
}

export interface RetryOptions {
  /** Attempts in all, the first included. */
  attempts?: number;
  /** Wait before the second attempt; doubled each time after. */
  firstDelayMs?: number;
}

export interface TryOptions extends RetryOptions {
  /**
   * A refusal for now that outlasted every attempt is thrown, not answered: the mailbox leaves the
   * message in the inbox and reads it again later, where a person at a page or a prompt is told to retry.
   */
  throwWhenBusy?: boolean;
}

/**
 * Sends an update, and sends it again a bounded number of times, with backoff, while the server refuses
 * it for now (refusedForNow). Any other error, the workflow's own refusal first of all, goes to the
 * caller at once: a validator that said no will say no again.
 */
export async function sendUpdate<T>(send: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const attempts = opts.attempts ?? 4;
  let delay = opts.firstDelayMs ?? 2_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (err) {
      if (attempt >= attempts || !refusedForNow(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay *= 2;
    }
  }
}

/** What a person reads when the server still refuses an update for now after every attempt. */
export const BUSY_MESSAGE =
  'El motor de plazos está recibiendo demasiadas solicitudes para esta actividad en este momento; no se aplicó nada. Intente de nuevo en unos minutos.';

/**
 * Sends an update (sendUpdate); the workflow's refusal (validator or handler) becomes `{ ok: false }`,
 * and so does a refusal for now that outlasted every attempt: nothing was applied, and the person
 * is told to try again rather than shown the client's "Workflow Update failed".
 */
export async function tryUpdate<T>(send: () => Promise<T>, opts: TryOptions = {}): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await sendUpdate(send, opts) };
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) return { ok: false, message: err.cause?.message ?? err.message };
    if (!opts.throwWhenBusy && refusedForNow(err)) return { ok: false, message: BUSY_MESSAGE };
    throw err;
  }
}

export function handleOf(client: Client, workflowId: string): WorkflowHandle {
  return client.workflow.getHandle(workflowId);
}
