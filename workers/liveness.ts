/**
 * A worker whose process is up but which no longer polls its workflow task queue sends nothing,
 * and nothing outside it notices: the process answers, its activity poller may still run, and the
 * notices wait in the server's backlog. (Seen here after a Temporal server restart under load: the
 * surviving worker stopped polling workflow tasks and then did not exit on SIGTERM either.)
 *
 * So the worker asks the server, every `checkSeconds`, when it last saw this worker poll the
 * workflow task queue (DescribeTaskQueue's pollers). A healthy worker is never long without a poll:
 * a long poll returns within about 70 s and the next starts at once. Past `staleSeconds` the
 * worker is stalled: it logs why and the process exits with status 1, so that its supervisor
 * (Docker's `restart: unless-stopped`, systemd) starts a fresh one. It exits at once rather than
 * shutting down: a stalled worker's shutdown waits on the very tasks that are stuck. Activities in
 * flight are retried by Temporal after their timeouts, and the sent-ledger keeps a notice already
 * sent from going out again.
 *
 * An outage is not a stall: while the server does not answer, or just after it answers again, the
 * clock starts over.
 */
import type { NativeConnection } from '@temporalio/worker';

/**
 * What the SDK core (1.24.0, the newest release) logs when it drops an activation it made for a
 * workflow run: two or more tasks for one run (e.g. two status queries, or a query and a timer)
 * waited for a slot in a full workflow cache, and on taking the slot core applied the first and
 * dropped the activation the second produced (workflow_stream.rs, "should be nothing"). The run
 * then waits for a completion that never comes: its queries time out and its notices stay in this
 * worker until the process ends. Seen here in the cluster test under load; a fresh worker replays
 * the run and carries on, so the worker shuts down and its supervisor starts it again.
 */
const STUCK_RUN_REPORTS = ['Extra buffered run should not have produced an activation'];

export function reportsStuckRun(message: string): boolean {
  return STUCK_RUN_REPORTS.some((m) => message.includes(m));
}
import type { Logger } from 'pino';

export interface PollerSeen {
  identity?: string | null;
  lastAccessTime?: { seconds?: unknown; nanos?: number | null } | null;
}

/** When the server last saw `identity` poll, in ms since the epoch, or undefined when it lists no such poller. */
export function lastPollOf(pollers: readonly PollerSeen[], identity: string): number | undefined {
  const mine = pollers.filter((p) => p.identity === identity && p.lastAccessTime);
  if (mine.length === 0) return undefined;
  return Math.max(...mine.map((p) => Number(p.lastAccessTime!.seconds ?? 0) * 1000 + Math.floor((p.lastAccessTime!.nanos ?? 0) / 1e6)));
}

/**
 * The watch's state between checks: the last moment the worker was known to be polling (or the
 * watch began, or the server came back). Pure, so the decision is tested without a stalled worker.
 */
export interface LivenessState {
  healthySince: number;
}

export type LivenessVerdict = { kind: 'polling' } | { kind: 'outage' } | { kind: 'stalled'; lastPoll: number | undefined; quietMs: number };

/**
 * One check: `answer` is the server's list of pollers, or an error when it did not answer.
 * Updates `state` and says whether the worker is polling, the server is out, or the worker stalled.
 */
export function judge(state: LivenessState, answer: readonly PollerSeen[] | Error, identity: string, now: number, staleMs: number): LivenessVerdict {
  if (answer instanceof Error) {
    state.healthySince = now;
    return { kind: 'outage' };
  }
  const lastPoll = lastPollOf(answer, identity);
  if (lastPoll !== undefined && now - lastPoll < staleMs) {
    state.healthySince = Math.max(state.healthySince, lastPoll);
    return { kind: 'polling' };
  }
  const quietMs = now - Math.max(state.healthySince, lastPoll ?? 0);
  return quietMs >= staleMs ? { kind: 'stalled', lastPoll, quietMs } : { kind: 'polling' };
}

export interface LivenessOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  identity: string;
  logger: Logger;
  staleSeconds: number;
  checkSeconds?: number;
  /** What to do with a stalled worker; by default, end the process with status 1. */
  onStalled?: () => void;
}

/** Starts the watch; returns the timer (unref'd) to clear on a clean shutdown. Off when staleSeconds is 0. */
export function watchLiveness(opts: LivenessOptions): NodeJS.Timeout | undefined {
  if (opts.staleSeconds <= 0) return undefined;
  const staleMs = opts.staleSeconds * 1000;
  const state: LivenessState = { healthySince: Date.now() };
  const stalled = opts.onStalled ?? (() => process.exit(1));
  let checking = false;
  const timer = setInterval(
    () => {
      if (checking) return;
      checking = true;
      void opts.connection.workflowService
        .describeTaskQueue({ namespace: opts.namespace, taskQueue: { name: opts.taskQueue }, taskQueueType: 1 })
        .then(
          (res) => res.pollers ?? [],
          (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
        )
        .then((answer) => {
          const verdict = judge(state, answer, opts.identity, Date.now(), staleMs);
          if (verdict.kind !== 'stalled') return;
          opts.logger.fatal(
            {
              lastPoll: verdict.lastPoll === undefined ? null : new Date(verdict.lastPoll).toISOString(),
              quietSeconds: Math.round(verdict.quietMs / 1000),
              taskQueue: opts.taskQueue,
            },
            'worker stalled: no workflow task poll seen by the server; exiting so the supervisor starts a fresh worker',
          );
          stalled();
        })
        .finally(() => (checking = false));
    },
    (opts.checkSeconds ?? 30) * 1000,
  );
  timer.unref();
  return timer;
}
