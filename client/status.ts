/**
 * An activity's status with a deadline, for the CLI, the web and the digest alike.
 *
 * The status query is answered by a worker, on the same task queue as the workflow tasks: during a
 * backlog or while no worker runs it waits (the soak run: about half of the queries took
 * longer than 10 s). So the query gets a deadline, and when no worker answers in time the status
 * comes from what the server itself keeps, which needs no worker: the search attributes the
 * workflow set (status, due date, areas) and the input it was started with (title, deliverable).
 * The result says which of the two it is, so every caller can tell the person reading it.
 */
import {
  isGrpcCancelledError,
  isGrpcDeadlineError,
  isGrpcServiceError,
  WorkflowNotFoundError,
  type Client,
  type WorkflowExecutionStatusName,
  type WorkflowHandle,
} from '@temporalio/client';
import { defaultPayloadConverter, type TypedSearchAttributes } from '@temporalio/common';
import { DateTime } from 'luxon';
import { PERIOD_STATUSES, SEARCH_ATTRIBUTES, statusQuery, type ActivityStatus, type ActivityWorkflowInput, type PeriodStatus } from '../workflows/shared';
import { PLAN_TIMEZONE } from '../calendar/policy';

/**
 * How long a person waits for the worker before seeing the server's index instead. A worker that
 * is not behind answers in milliseconds; under the soak run's backlog the answers that came took
 * 2.1 s at the median. 3 s keeps a page or `plazos status` responsive and still lets a busy but
 * working worker answer most of the time.
 */
export const STATUS_DEADLINE_MS = 3_000;

/** The server's copy of the deadline may fire a few milliseconds before the client's timer. */
const DEADLINE_SLACK_MS = 250;

/** The plan model's default zone (plans/model.ts), for a workflow whose input cannot be read. */
const DEFAULT_ZONE = PLAN_TIMEZONE;

/** gRPC codes: FAILED_PRECONDITION is the server's answer when no worker has polled the task queue lately. */
const NOT_FOUND = 5;
const FAILED_PRECONDITION = 9;

/** What the workflow was started with: the title and dates as planned, before any amendment or extension. */
export interface StartedAs {
  title: string;
  deliverable: string;
  start: string;
  due: string;
  timezone: string;
}

/** An activity's status as the server's index knows it, without asking a worker. */
export interface IndexedStatus {
  workflowId: string;
  planId: string | null;
  activity: number | null;
  /** `2023-03` for one period of a recurring activity (the third part of its workflow ID). */
  period: string | null;
  areas: string[];
  /** The PlazosStatus the workflow last set; null if it never set one. */
  status: PeriodStatus | null;
  /** The due date in force (PlazosDue) as an ISO date in the plan's zone; null before the workflow first set it. */
  due: string | null;
  /** Temporal's own state of the run: RUNNING, COMPLETED, TERMINATED... */
  execution: WorkflowExecutionStatusName;
  startedAs: StartedAs | null;
}

export type StatusReading =
  | { source: 'worker'; status: ActivityStatus }
  | {
      source: 'index';
      index: IndexedStatus;
      /** Why the worker's answer is missing: it did not come within the deadline, or no worker polls the queue. */
      reason: 'deadline' | 'no-worker';
      deadlineMs: number;
    };

export interface ReadStatusOptions {
  /** Milliseconds to wait for the worker's answer; STATUS_DEADLINE_MS unless given. */
  deadlineMs?: number;
}

/**
 * The activity's status: the worker's answer when it comes within the deadline, else the server's
 * index. Null when there is no such workflow. Any other error (the server is down, the query
 * failed in the workflow) propagates.
 */
export async function readStatus(client: Client, workflowId: string, opts: ReadStatusOptions = {}): Promise<StatusReading | null> {
  const deadlineMs = opts.deadlineMs ?? STATUS_DEADLINE_MS;
  const handle = client.workflow.getHandle(workflowId);
  const deadline = Date.now() + deadlineMs;
  try {
    const status = await queryOnce(client, workflowId, deadline, () => handle.query(statusQuery));
    return { source: 'worker', status };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    const reason = workerSilence(err, Date.now() >= deadline - DEADLINE_SLACK_MS);
    if (!reason) throw err;
    const index = await indexedStatusOf(client, handle);
    return index && { source: 'index', index, reason, deadlineMs };
  }
}

/**
 * One status query per workflow at a time from this process: whoever asks while one is on its way
 * shares its answer. Two query tasks for one run waiting for a slot in a full worker cache is what
 * makes the SDK core drop one and leave the run stuck (workers/liveness.ts); a page reloaded or two
 * people opening the same activity would otherwise send two.
 */
const queriesInFlight = new WeakMap<Client, Map<string, Promise<ActivityStatus>>>();

export function queryOnce(client: Client, workflowId: string, deadline: number, query: () => Promise<ActivityStatus>): Promise<ActivityStatus> {
  let mine = queriesInFlight.get(client);
  if (!mine) queriesInFlight.set(client, (mine = new Map<string, Promise<ActivityStatus>>()));
  const pending = mine.get(workflowId);
  if (pending) return pending;
  const asked = client.connection.withDeadline(deadline, query).finally(() => mine.delete(workflowId));
  mine.set(workflowId, asked);
  return asked;
}

/**
 * Whether a failed query means that no worker answered (and which way), or null for any other
 * failure. The server turns its own wait into DEADLINE_EXCEEDED ("query timed out before a worker
 * could process it"), as the client does when its deadline passes first. When the server's copy of
 * the deadline fires first it may instead reset the stream, which the client reports as CANCELLED:
 * that counts too once the deadline has passed (`pastDeadline`), and only then.
 */
export function workerSilence(err: unknown, pastDeadline = false): 'deadline' | 'no-worker' | null {
  if (isGrpcDeadlineError(err) || (pastDeadline && isGrpcCancelledError(err))) return 'deadline';
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if (isGrpcServiceError(e) && grpcCode(e) === FAILED_PRECONDITION && /no poller/i.test(e.details)) return 'no-worker';
  }
  return null;
}

/** The gRPC status code as a plain number (the SDK types it with grpc-js's enum, not a dependency of ours). */
function grpcCode(err: { code: number }): number {
  return err.code;
}

/** describe() and the first history event: both kept by the server, neither needs a worker. */
async function indexedStatusOf(client: Client, handle: WorkflowHandle): Promise<IndexedStatus | null> {
  // Both settle before either failure is thrown: no request is left running behind the caller.
  const [description, startedAs] = await Promise.allSettled([handle.describe(), startedAsOf(client, handle.workflowId)]);
  if (description.status === 'rejected') {
    if (description.reason instanceof WorkflowNotFoundError) return null;
    throw description.reason;
  }
  if (startedAs.status === 'rejected') throw startedAs.reason;
  return indexedStatus(handle.workflowId, description.value, { startedAs: startedAs.value });
}

/** The workflow's start input, from the first page (one event) of its history. */
async function startedAsOf(client: Client, workflowId: string): Promise<StartedAs | null> {
  let history;
  try {
    ({ history } = await client.workflowService.getWorkflowExecutionHistory({
      namespace: client.options.namespace,
      execution: { workflowId },
      maximumPageSize: 1,
    }));
  } catch (err) {
    // The raw service call does not turn NOT_FOUND into WorkflowNotFoundError; describe() does.
    if (isGrpcServiceError(err) && grpcCode(err) === NOT_FOUND) return null;
    throw err;
  }
  const payload = history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  return payload ? startedAsFrom(defaultPayloadConverter.fromPayload<ActivityWorkflowInput>(payload)) : null;
}

function startedAsFrom(input: Partial<ActivityWorkflowInput> | undefined): StartedAs | null {
  const a = input?.activity;
  if (!a || typeof a.title !== 'string') return null;
  const period = input.period;
  return {
    title: a.title,
    deliverable: a.deliverable,
    start: period?.start ?? a.start,
    due: period?.due ?? a.due,
    timezone: input.plan?.timezone ?? DEFAULT_ZONE,
  };
}

/**
 * What the search attributes and the execution say. Pure: the listing of a plan builds it too.
 * `zone` reads the due date when the start input (which names the plan's zone) is not at hand.
 */
export function indexedStatus(
  workflowId: string,
  info: { typedSearchAttributes: TypedSearchAttributes; status: { name: WorkflowExecutionStatusName } },
  opts: { startedAs?: StartedAs | null; zone?: string } = {},
): IndexedStatus {
  const startedAs = opts.startedAs ?? null;
  const attrs = info.typedSearchAttributes;
  const status = attrs.get(SEARCH_ATTRIBUTES.status);
  const due = attrs.get(SEARCH_ATTRIBUTES.due);
  const [, number, period] = workflowId.split('/');
  return {
    workflowId,
    planId: attrs.get(SEARCH_ATTRIBUTES.plan) ?? null,
    activity: attrs.get(SEARCH_ATTRIBUTES.activity) ?? (number && /^\d+$/.test(number) ? Number(number) : null),
    period: period ?? null,
    areas: attrs.get(SEARCH_ATTRIBUTES.areas) ?? [],
    status: status && (PERIOD_STATUSES as readonly string[]).includes(status) ? (status as PeriodStatus) : null,
    // PlazosDue is the start of the due date in the plan's zone (workflows/clock.ts dateAttribute).
    due: due ? DateTime.fromJSDate(due, { zone: startedAs?.timezone ?? opts.zone ?? DEFAULT_ZONE }).toISODate() : null,
    execution: info.status.name,
    startedAs,
  };
}
