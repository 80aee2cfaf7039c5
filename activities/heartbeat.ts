/**
 * Heartbeats while an activity's work runs. With a heartbeat timeout on the activity, a worker
 * killed in the middle of a send is noticed within that timeout and the attempt retried on
 * another worker, instead of after the whole start-to-close timeout (the soak run saw
 * notices wait ~65 s after each SIGKILL). A send that ends before the first interval costs no
 * heartbeat at all.
 */
import { Context } from '@temporalio/activity';

export const HEARTBEAT_EVERY_MS = 5_000;

/** `work`'s result; heartbeats every `everyMs` until it settles when called from an activity. */
export async function whileHeartbeating<T>(work: Promise<T>, everyMs = HEARTBEAT_EVERY_MS): Promise<T> {
  const context = currentContext();
  if (!context) return work; // called outside an activity (a unit test, a script)
  const timer = setInterval(() => context.heartbeat(), everyMs);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}

/** The running activity's context, or null when called outside one (a unit test, the CLI). */
export function currentContext(): Context | null {
  try {
    return Context.current();
  } catch {
    return null; // "Activity context not initialized"
  }
}
